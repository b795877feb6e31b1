/**
 * @hub/domain-finance: the finance domain's canonical models. Council mapping files live beside this
 * folder in `../mappings/` and are loaded as data by `@hub/mapping`.
 */
import type { EntityDefinition } from '@hub/canonical';
import { spendEntity } from './spend.model';

export {
  Spend,
  SpendCard,
  SpendCodeLabel,
  SpendServiceArea,
  SpendSupplier,
  spendEntity,
} from './spend.model';

/** Every entity of the finance domain. */
export const financeEntities: readonly EntityDefinition[] = [spendEntity];
