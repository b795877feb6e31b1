import { Describe, IsIsoDate, IsIsoDateTime, Nested, PropertyRef, defineEntity } from '@hub/canonical';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * Canonical model of `waste.collection` v1: the outcome of one scheduled collection of one service at
 * one property (a bin emptied, missed, not presented, contaminated...), as round-management systems
 * (Bartec, Whitespace and the like) record it.
 *
 * The property is a {@link PropertyRef}: the UPRN when the source has a trustworthy one, else the
 * source's own key (or the raw value of a spreadsheet-mangled UPRN) and the postcode. The service is one
 * of the canonical categories with the council's own name kept beside it ("Rubbish", "Refuse" and
 * "Non-recyclable waste" are all `refuse`).
 *
 * Personal data: none is marked. A property and its collection outcome identify a household only
 * together with other data the hub does not carry.
 */

/** Canonical collection services. */
export const COLLECTION_SERVICES = [
  'refuse',
  'recycling',
  'garden',
  'food',
  'glass',
  'bulky',
  'other',
] as const;
/** A canonical collection service. */
export type CollectionServiceCategory = (typeof COLLECTION_SERVICES)[number];

/** Canonical collection outcomes. */
export const COLLECTION_OUTCOMES = [
  'completed',
  'missed',
  'not-presented',
  'contaminated',
  'no-access',
  'cancelled',
] as const;
/** A canonical collection outcome. */
export type CollectionOutcome = (typeof COLLECTION_OUTCOMES)[number];

/** The service collected, canonical and as the council names it. */
export class CollectionService {
  @IsIn(COLLECTION_SERVICES)
  @Describe(
    'refuse, recycling, garden, food, glass, bulky or other. A combined garden and food bin ("Garden/Food") is garden: it is the garden round and container',
  )
  category!: CollectionServiceCategory;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe('The service as the council names it ("Rubbish", "Non-recyclable waste", "Garden/Food")')
  localName?: string;
}

/** `waste.collection` v1 data. */
export class Collection {
  @Nested(() => PropertyRef)
  @Describe('The property collected from')
  property!: PropertyRef;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe("The round (crew and day), in the source's naming")
  round?: string;

  @Nested(() => CollectionService)
  @Describe('The service collected')
  service!: CollectionService;

  @IsIsoDate()
  @Describe('The day the collection was scheduled for')
  scheduledDate!: string;

  @IsIn(COLLECTION_OUTCOMES)
  @Describe('completed, missed, not-presented, contaminated, no-access or cancelled')
  outcome!: CollectionOutcome;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe("The source's own outcome or exception code, as it wrote it (e.g. Bartec 'Bin Not Out')")
  outcomeLocal?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Describe("Why, when the outcome is not 'completed' (the crew's or system's reason)")
  reason?: string;

  @IsOptional()
  @IsIsoDateTime()
  @Describe('When the outcome was recorded by the crew (UTC)')
  recordedAt?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe("The source system's job or task reference")
  jobRef?: string;
}

/** The `waste.collection` entity. */
export const collectionEntity = defineEntity({
  domain: 'waste',
  entity: 'collection',
  version: 1,
  model: Collection,
  description:
    "The outcome of one scheduled waste collection of one service at one property, with the canonical service and the council's own service name.",
});
