import { Describe, IsIsoDate, IsPence, Nested, PropertyRef, defineEntity } from '@hub/canonical';
import { IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  DEFRA_ENFORCEMENT_ACTIONS,
  DEFRA_LAND_TYPES,
  DEFRA_SIZES,
  DEFRA_WASTE_TYPES,
  type DefraEnforcementAction,
  type DefraLandType,
  type DefraSize,
  type DefraWasteType,
} from './defra-flytip.constants';

/**
 * Canonical model of `waste.flytip` v1: one fly-tipping incident in the categories of DEFRA's
 * fly-tipping return (land type, waste type, size, enforcement action, with their exact labels). Each
 * council's own category is kept beside the canonical one (`landTypeLocal`, ...), so a residents' form
 * answer such as "Fridge / freezer / washing machine" stays visible next to `White Goods`.
 *
 * Personal data: none. Residents' report forms also collect the reporter's name, email and phone; the
 * DEFRA return does not need them and the hub does not carry them (data minimisation): mappings leave
 * those columns out.
 */

/** Where the fly-tip is: property or street identifiers, grid or WGS84 coordinates, the place as described. */
export class FlytipLocation extends PropertyRef {
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
  @Describe('The place as the source describes it (street, landmark)')
  addressText?: string;
}

/** `waste.flytip` v1 data. */
export class Flytip {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Describe("The source's incident or report reference")
  incidentRef!: string;

  @IsIsoDate()
  @Describe('The day the incident was reported (the date the DEFRA return counts it by)')
  reportedDate!: string;

  @Nested(() => FlytipLocation)
  @Describe('Where the waste was dumped')
  location!: FlytipLocation;

  @IsIn(DEFRA_LAND_TYPES)
  @Describe(`DEFRA land type: ${DEFRA_LAND_TYPES.join('; ')}`)
  landType!: DefraLandType;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe("The council's own land category, as written")
  landTypeLocal?: string;

  @IsIn(DEFRA_WASTE_TYPES)
  @Describe(`DEFRA waste type: ${DEFRA_WASTE_TYPES.join('; ')}`)
  wasteType!: DefraWasteType;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe("The council's own waste category, as written")
  wasteTypeLocal?: string;

  @IsIn(DEFRA_SIZES)
  @Describe(`DEFRA size: ${DEFRA_SIZES.join('; ')}`)
  size!: DefraSize;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe("The council's own size category, as written")
  sizeLocal?: string;

  @IsOptional()
  @IsIn(DEFRA_ENFORCEMENT_ACTIONS)
  @Describe(
    `Enforcement action: ${DEFRA_ENFORCEMENT_ACTIONS.join('; ')}. None when the source says no action was taken; absent when it does not say`,
  )
  enforcementAction?: DefraEnforcementAction;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Describe("The council's own enforcement outcome, as written")
  enforcementActionLocal?: string;

  @IsOptional()
  @IsIsoDate()
  @Describe('The day the waste was cleared')
  clearedDate?: string;

  @IsOptional()
  @IsPence()
  @Describe('Clearance cost in pence, when the source records it')
  clearanceCostPence?: number;
}

/** The `waste.flytip` entity. */
export const flytipEntity = defineEntity({
  domain: 'waste',
  entity: 'flytip',
  version: 1,
  model: Flytip,
  description:
    "One fly-tipping incident in the categories of DEFRA's fly-tipping return, with each council's own categories kept beside them.",
});
