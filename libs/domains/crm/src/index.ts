/**
 * @hub/domain-crm: the CRM domain's canonical model. Council mapping files live beside this folder in
 * `../mappings/` and are loaded as data by `@hub/mapping`.
 */
import type { EntityDefinition } from '@hub/canonical';
import { caseEntity } from './case.model';

export {
  CASE_CHANNELS,
  CASE_STATUSES,
  Case,
  CaseCustomer,
  CaseLocation,
  CaseService,
  caseEntity,
} from './case.model';
export type { CaseChannel, CaseStatus } from './case.model';

/** Every entity of the CRM domain. */
export const crmEntities: readonly EntityDefinition[] = [caseEntity];
