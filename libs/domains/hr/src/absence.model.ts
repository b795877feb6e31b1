import { Describe, IsIsoDate, Nested, Pii, defineEntity } from '@hub/canonical';
import { IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { IsNotBefore } from './date-order.validator';

/**
 * Canonical model of `hr.absence` v1: one absence episode of an employee (a spell of sickness, a period
 * of annual or parental leave, other leave).
 *
 * Personal data: the absence reason (`reason.code`, `reason.label`) is marked `@Pii()`. For sickness it
 * is health information about an identified employee (special category data under UK GDPR article 9),
 * and other reasons (bereavement, domestic abuse leave) are no less personal; it may reach the
 * shared-service centre, never logs, metrics or the audit log. The employee is referred to by number only.
 */

/** Absence categories of the canonical model; each council's own absence types map onto these (kept in `categoryLocal`). */
export const ABSENCE_CATEGORIES = ['sickness', 'annual-leave', 'parental', 'other'] as const;

/** One of {@link ABSENCE_CATEGORIES}. */
export type AbsenceCategory = (typeof ABSENCE_CATEGORIES)[number];

/** Why the employee was absent, as the source codes and words it. Personal data. */
export class AbsenceReason {
  @IsOptional()
  @IsString()
  @MaxLength(30)
  @Pii()
  @Describe("The source system's reason code (e.g. a sickness reason code)")
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Pii()
  @Describe("The source system's reason text")
  label?: string;
}

/** `hr.absence` v1 data. */
export class Absence {
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  @Describe("The council's employee (person or payroll) number, as in hr.employee")
  employeeNumber!: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  @Describe("The source system's id of the absence episode")
  absenceRef?: string;

  @IsIn(ABSENCE_CATEGORIES)
  @Describe(
    'Absence category: sickness, annual-leave, parental (maternity, paternity, adoption, shared parental) or other',
  )
  category!: AbsenceCategory;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe("The source system's own absence type, as sent, before it was mapped onto category")
  categoryLocal?: string;

  @IsOptional()
  @Nested(() => AbsenceReason)
  reason?: AbsenceReason;

  @IsIsoDate()
  @Describe('First day of the absence')
  startDate!: string;

  @IsOptional()
  @IsIsoDate()
  @IsNotBefore('startDate')
  @Describe('Last day of the absence; absent while it continues (an open sickness spell)')
  endDate?: string;

  @IsOptional()
  @IsNumber(
    { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false },
    { message: '$property must be a number with at most 2 decimal places' },
  )
  @Min(0)
  @Describe('Working days lost (half days as 0.5), when the source counts days')
  durationDays?: number;

  @IsOptional()
  @IsNumber(
    { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false },
    { message: '$property must be a number with at most 2 decimal places' },
  )
  @Min(0)
  @Describe('Working hours lost, when the source counts hours')
  durationHours?: number;
}

/** The `hr.absence` entity. */
export const absenceEntity = defineEntity({
  domain: 'hr',
  entity: 'absence',
  version: 1,
  model: Absence,
  description:
    'One absence episode of a council employee: category (sickness, annual leave, parental, other), reason, first and last day, and the days or hours lost; the reason is personal data.',
});
