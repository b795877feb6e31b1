/**
 * @hub/domain-waste: the waste domain's canonical models. Council mapping files live beside this folder
 * in `../mappings/` and are loaded as data by `@hub/mapping`.
 */
import type { EntityDefinition } from '@hub/canonical';
import { collectionEntity } from './collection.model';
import { flytipEntity } from './flytip.model';

export {
  COLLECTION_OUTCOMES,
  COLLECTION_SERVICES,
  Collection,
  CollectionService,
  collectionEntity,
} from './collection.model';
export type { CollectionOutcome, CollectionServiceCategory } from './collection.model';
export { Flytip, FlytipLocation, flytipEntity } from './flytip.model';
export {
  DEFRA_ENFORCEMENT_ACTIONS,
  DEFRA_LAND_TYPES,
  DEFRA_SIZES,
  DEFRA_WASTE_TYPES,
} from './defra-flytip.constants';
export type {
  DefraEnforcementAction,
  DefraLandType,
  DefraSize,
  DefraWasteType,
} from './defra-flytip.constants';

/** Every entity of the waste domain. */
export const wasteEntities: readonly EntityDefinition[] = [collectionEntity, flytipEntity];
