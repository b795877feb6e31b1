import { Describe, IsIsoDate, IsNino, IsUkPostcode, Nested, Pii, defineEntity } from '@hub/canonical';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsNotBefore } from './date-order.validator';

/**
 * Canonical model of `hr.employee` v1: one employment (a person in a post) as council HR systems hold it.
 * No national local-government HR standard exists; the fields are what councils publish (Transparency
 * Code organisation charts and senior salaries) and what HR systems (iTrent, ResourceLink, SAP HR) hold.
 *
 * Personal data, marked `@Pii()` and published as `"x-pii": true`: the name, date of birth, National
 * Insurance number, home address and personal contact details. Every personal-data field is optional, so
 * a council may withhold any of them under its data-sharing agreement; what is sent is validated.
 */

/** Contract types of the canonical model; each council's own types map onto these (kept in `contract.typeLocal`). */
export const CONTRACT_TYPES = ['permanent', 'fixed-term', 'casual', 'apprentice', 'agency'] as const;

/** One of {@link CONTRACT_TYPES}. */
export type ContractType = (typeof CONTRACT_TYPES)[number];

/** A telephone number as people write it: digits, spaces, brackets, hyphens, an optional leading +. */
const PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{5,28}[0-9]$/;

/** The employee's name. Personal data. */
export class EmployeeName {
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Pii()
  @Describe('Title as the employee gave it (Mr, Ms, Dr, Mx)')
  title?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Pii()
  @Describe('Given name(s), space-separated, as held by the HR system')
  givenNames?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Pii()
  @Describe('Family name (surname)')
  familyName!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Pii()
  @Describe('The name the employee is known by, when the source holds one')
  preferredName?: string;
}

/** The employee's home address. Personal data. */
export class EmployeeAddress {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Pii()
  @Describe('First address line (house number or name and street)')
  line1?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Pii()
  @Describe('Second address line (locality)')
  line2?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Pii()
  @Describe('Third address line')
  line3?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Pii()
  @Describe('Post town')
  town?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Pii()
  @Describe('County, when the source holds one')
  county?: string;

  @IsOptional()
  @IsUkPostcode()
  @Pii()
  @Describe('Postcode, normalised (CV1 5RR)')
  postcode?: string;
}

/** The employee's own contact details (not the council's switchboard). Personal data. */
export class EmployeeContact {
  @IsOptional()
  @IsEmail({}, { message: '$property must be an email address' })
  @MaxLength(254)
  @Pii()
  @Describe('Personal email address')
  email?: string;

  @IsOptional()
  @Matches(PHONE_PATTERN, { message: '$property must be a telephone number' })
  @Pii()
  @Describe('Home or main telephone number, as written')
  phone?: string;

  @IsOptional()
  @Matches(PHONE_PATTERN, { message: '$property must be a telephone number' })
  @Pii()
  @Describe('Mobile telephone number, as written')
  mobile?: string;
}

/** A code with its label, as HR systems carry both (organisational unit, cost centre). */
export class EmployeeCodeLabel {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  @Describe("The source system's code")
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Describe("The source system's label for the code")
  label?: string;
}

/** Pay grade, and the point on the NJC pay spine where the grade uses it. */
export class EmployeeGrade {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe('Grade as the council names it ("Grade 7", "Band 2", "SM4C")')
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe('Pay scale or pay-and-conditions framework ("NJC", "Soulbury", "JNC Chief Officers")')
  payScale?: string;

  // @IsInt last applied (written first) so the published type is integer, not Min/Max's number.
  @IsInt({ message: '$property must be a whole spinal column point' })
  @IsOptional()
  @Min(1)
  @Max(99)
  @Describe('NJC spinal column point (the national pay spine runs from 1 to 43; councils extend it locally)')
  spinalColumnPoint?: number;
}

/** The terms of the employment. */
export class EmployeeContract {
  @IsIn(CONTRACT_TYPES)
  @Describe('Contract type: permanent, fixed-term, casual, apprentice or agency')
  type!: ContractType;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe("The source system's own contract type, as sent, before it was mapped onto type")
  typeLocal?: string;

  @IsOptional()
  @IsNumber(
    { maxDecimalPlaces: 5, allowNaN: false, allowInfinity: false },
    { message: '$property must be a number with at most 5 decimal places' },
  )
  @Min(0)
  @Max(2)
  @Describe(
    'Full-time equivalent, up to 5 decimal places (30 of 37 hours is 0.81081); above 1 when contracted hours exceed the standard week',
  )
  fte?: number;

  @IsOptional()
  @IsNumber(
    { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false },
    { message: '$property must be a number with at most 2 decimal places' },
  )
  @Min(0)
  @Max(168)
  @Describe('Contracted hours per week')
  contractedHours?: number;
}

/** `hr.employee` v1 data. */
export class Employee {
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  @Describe("The council's employee (person or payroll) number")
  employeeNumber!: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  @Describe("The post (position) reference in the council's establishment")
  postRef?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe('Job title of the post')
  jobTitle?: string;

  @IsOptional()
  @Nested(() => EmployeeName)
  name?: EmployeeName;

  @IsOptional()
  @IsIsoDate()
  @Pii()
  @Describe('Date of birth')
  dateOfBirth?: string;

  @IsOptional()
  @IsNino()
  @Describe('National Insurance number, HMRC format, normalised without spaces (AB123456C)')
  nationalInsuranceNumber?: string;

  @IsOptional()
  @Nested(() => EmployeeAddress)
  homeAddress?: EmployeeAddress;

  @IsOptional()
  @Nested(() => EmployeeContact)
  contact?: EmployeeContact;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Describe('Directorate (department) the post belongs to')
  directorate?: string;

  @IsOptional()
  @Nested(() => EmployeeCodeLabel)
  organisationalUnit?: EmployeeCodeLabel;

  @IsOptional()
  @Nested(() => EmployeeCodeLabel)
  costCentre?: EmployeeCodeLabel;

  @IsOptional()
  @Nested(() => EmployeeGrade)
  grade?: EmployeeGrade;

  @Nested(() => EmployeeContract)
  contract!: EmployeeContract;

  @IsIsoDate()
  @Describe('First day of the employment')
  startDate!: string;

  @IsOptional()
  @IsIsoDate()
  @IsNotBefore('startDate')
  @Describe(
    'Last day of the employment: the leaving date of a leaver, or the agreed end of a fixed-term contract',
  )
  endDate?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe(
    'Why the employee left (resignation, retirement, end of fixed-term contract...), as the source words it',
  )
  leaverReason?: string;
}

/** The `hr.employee` entity. */
export const employeeEntity = defineEntity({
  domain: 'hr',
  entity: 'employee',
  version: 1,
  model: Employee,
  description:
    'One employment of a council employee (a person in a post): post, organisational unit, grade and NJC spinal column point, contract, dates; name, date of birth, National Insurance number, home address and contact details are personal data.',
});
