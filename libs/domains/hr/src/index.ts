/**
 * @hub/domain-hr: the HR domain's canonical models (`hr.employee`, `hr.absence`). Council mapping files
 * live beside this folder in `../mappings/` and are loaded as data by `@hub/mapping`.
 */
import type { EntityDefinition } from '@hub/canonical';
import { absenceEntity } from './absence.model';
import { employeeEntity } from './employee.model';

export {
  CONTRACT_TYPES,
  Employee,
  EmployeeAddress,
  EmployeeCodeLabel,
  EmployeeContact,
  EmployeeContract,
  EmployeeGrade,
  EmployeeName,
  employeeEntity,
} from './employee.model';
export type { ContractType } from './employee.model';
export { ABSENCE_CATEGORIES, Absence, AbsenceReason, absenceEntity } from './absence.model';
export type { AbsenceCategory } from './absence.model';
export { IsNotBefore } from './date-order.validator';

/** Every entity of the HR domain. */
export const hrEntities: readonly EntityDefinition[] = [employeeEntity, absenceEntity];
