import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Describe, IsUkPostcode, IsUprn, IsUsrn } from './canonical-field.decorators';

/**
 * A property as source systems identify it, for any domain that records places (CRM cases, waste
 * collections, fly-tips). Real systems key properties by UPRN, by an internal point id or only by
 * street, and spreadsheets mangle UPRNs; so the UPRN may be missing and the source's own key and the
 * postcode are kept beside it.
 */
export class PropertyRef {
  @IsOptional()
  @IsUprn()
  @Describe(
    'Unique Property Reference Number (up to 12 digits); absent when the source had none or a mangled one',
  )
  uprn?: string;

  @IsOptional()
  @IsUsrn()
  @Describe('Unique Street Reference Number (up to 8 digits)')
  usrn?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Describe("The source system's own property key, or the raw value of a mangled UPRN")
  sourceKey?: string;

  @IsOptional()
  @IsUkPostcode()
  @Describe('UK postcode, normalised (upper case, one space)')
  postcode?: string;
}
