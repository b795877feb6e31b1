/**
 * @hub/domains: the one module that knows every domain. Apps take their entity list from here; domains
 * never import each other. To add a domain's entities, append its list below (see README.md).
 */
import type { EntityDefinition } from '@hub/canonical';
import { financeEntities } from '@hub/domain-finance';
import { hrEntities } from '@hub/domain-hr';
import { crmEntities } from '@hub/domain-crm';
import { wasteEntities } from '@hub/domain-waste';

/** Every canonical entity the hub knows, across all domains. */
export const ALL_ENTITIES: readonly EntityDefinition[] = [
  ...financeEntities,
  ...hrEntities,
  ...crmEntities,
  ...wasteEntities,
];
