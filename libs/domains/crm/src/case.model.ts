import { Describe, IsIsoDateTime, Nested, Pii, PropertyRef, defineEntity } from '@hub/canonical';
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

/**
 * Canonical model of `crm.case` v1: one service request (a "case") as a council's customer system holds
 * it, aligned with Open311 GeoReport v2 and its UK profile (`service_request_id`, `service_code`,
 * `service_name`, `status`, `status_notes`, `requested_datetime`, `updated_datetime`, `address_string`,
 * `lat`/`long`), plus the LGA Services List id, the channel and the UK property identifiers.
 *
 * Personal data: the customer's name, email and phone (`@Pii()`), and the free-text description,
 * which residents fill with names, phone numbers and neighbours' details. Never log them.
 */

/** Case statuses (Open311's open/closed with the UK profile's in-between state). */
export const CASE_STATUSES = ['open', 'in-progress', 'closed'] as const;
/** A case status. */
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Channels a case can arrive by. */
export const CASE_CHANNELS = ['web', 'phone', 'email', 'face-to-face', 'app'] as const;
/** A case channel. */
export type CaseChannel = (typeof CASE_CHANNELS)[number];

/** What the case is about: the council's own service code and name, and the national id where known. */
export class CaseService {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Describe("The council's own service (request type) code, Open311 service_code")
  code!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe("The council's own service name, Open311 service_name")
  name?: string;

  @IsOptional()
  @IsInt({ message: '$property must be an LGA Services List identifier (a whole number)' })
  @Min(1)
  @Max(99999)
  @Describe(
    'LGA Services List (esd standards) service identifier, e.g. 557 Road maintenance, 587 Flytipping (http://id.esd.org.uk/service/<id>); absent when unknown',
  )
  lgaServiceId?: number;
}

/**
 * Where the problem is: the property or street as the source identifies it (UPRN, USRN, the source's own
 * key, postcode), with grid or WGS84 coordinates and the address as written.
 */
export class CaseLocation extends PropertyRef {
  @IsOptional()
  @IsNumber(
    { maxDecimalPlaces: 2 },
    { message: '$property must be a British National Grid easting in metres' },
  )
  @Min(0)
  @Max(700000)
  @Describe('British National Grid (OSGB36) easting in metres')
  easting?: number;

  @IsOptional()
  @IsNumber(
    { maxDecimalPlaces: 2 },
    { message: '$property must be a British National Grid northing in metres' },
  )
  @Min(0)
  @Max(1300000)
  @Describe('British National Grid (OSGB36) northing in metres')
  northing?: number;

  @IsOptional()
  @IsNumber({}, { message: '$property must be a WGS84 latitude' })
  @Min(49)
  @Max(61)
  @Describe('WGS84 latitude in decimal degrees (UK range)')
  latitude?: number;

  @IsOptional()
  @IsNumber({}, { message: '$property must be a WGS84 longitude' })
  @Min(-9)
  @Max(2)
  @Describe('WGS84 longitude in decimal degrees (UK range)')
  longitude?: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Describe('The location as written by the source, Open311 address_string')
  addressText?: string;
}

/** The person who raised the case. Every field is personal data. */
export class CaseCustomer {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Pii()
  @Describe("The customer's name as given")
  name?: string;

  @IsOptional()
  @IsEmail({}, { message: '$property must be an email address' })
  @MaxLength(254)
  @Pii()
  @Describe("The customer's email address")
  email?: string;

  @IsOptional()
  @Matches(/^\+?[0-9][0-9 ()-]{5,24}$/, { message: '$property must be a telephone number' })
  @Pii()
  @Describe("The customer's telephone number as given (digits, spaces, +, brackets, hyphens)")
  phone?: string;
}

/** `crm.case` v1 data. */
export class Case {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Describe("The source's case reference, Open311 service_request_id (e.g. CAS-01234-X7Y8Z9)")
  requestId!: string;

  @Nested(() => CaseService)
  @Describe('The service requested')
  service!: CaseService;

  @IsIn(CASE_STATUSES)
  @Describe(
    'open (received, not yet worked), in-progress (being worked or on hold) or closed (resolved, cancelled or merged)',
  )
  status!: CaseStatus;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe(
    "The source system's own status, as it wrote it (e.g. Dynamics statuscode 5, Salesforce Escalated)",
  )
  statusLocal?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Describe('Notes on the status for the customer, Open311 status_notes')
  statusNotes?: string;

  @IsOptional()
  @IsIn(CASE_CHANNELS)
  @Describe('How the case arrived; absent when the source does not say or uses a channel outside this list')
  channel?: CaseChannel;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe("The source system's own channel, as it wrote it (e.g. Dynamics caseorigincode 3)")
  channelLocal?: string;

  @IsIsoDateTime()
  @Describe('When the case was raised, Open311 requested_datetime (UTC)')
  requestedAt!: string;

  @IsOptional()
  @IsIsoDateTime()
  @Describe('When the case last changed, Open311 updated_datetime (UTC)')
  updatedAt?: string;

  @IsOptional()
  @IsIsoDateTime()
  @Describe('When the case was closed (UTC)')
  closedAt?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  @Pii()
  @Describe("The customer's description of the problem (free text: treated as personal data)")
  description?: string;

  @IsOptional()
  @Nested(() => CaseLocation)
  @Describe('Where the problem is')
  location?: CaseLocation;

  @IsOptional()
  @Nested(() => CaseCustomer)
  @Describe('Who raised the case (personal data)')
  customer?: CaseCustomer;
}

/** The `crm.case` entity. */
export const caseEntity = defineEntity({
  domain: 'crm',
  entity: 'case',
  version: 1,
  model: Case,
  description:
    'One customer service request (case), aligned with Open311 GeoReport v2 and its UK profile, with the LGA Services List id where known.',
});
