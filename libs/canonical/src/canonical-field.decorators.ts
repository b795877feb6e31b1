import { IsInt, Matches, Max, Min } from 'class-validator';
import { Pii } from './pii.decorator';
import { schemaExtrasDecorator } from './schema-extras.registry';
import {
  ISO_DATE_PATTERN,
  ISO_DATETIME_PATTERN,
  MAX_ABS_PENCE,
  NINO_PATTERN,
  UK_POSTCODE_PATTERN,
  UPRN_PATTERN,
  USRN_PATTERN,
} from './value-patterns.constants';

/**
 * Property decorators for the value kinds every domain shares. Each one applies the class-validator rule
 * and the JSON Schema keywords together, so the published schema and the runtime check cannot drift.
 * Combine with class-validator's `@IsOptional()` for optional fields.
 */

function combine(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target: object, key: string | symbol): void => {
    for (const decorate of decorators) decorate(target, key);
  };
}

/** Publishes a description of the property in the JSON Schema. */
export function Describe(description: string): PropertyDecorator {
  return schemaExtrasDecorator({ description });
}

/** Calendar date `yyyy-mm-dd` (JSON Schema `format: date`). */
export function IsIsoDate(): PropertyDecorator {
  return combine(
    Matches(ISO_DATE_PATTERN, { message: '$property must be an ISO 8601 date (yyyy-mm-dd)' }),
    schemaExtrasDecorator({ format: 'date' }),
  );
}

/** UTC instant `yyyy-mm-ddThh:mm:ss.sssZ` (JSON Schema `format: date-time`). */
export function IsIsoDateTime(): PropertyDecorator {
  return combine(
    Matches(ISO_DATETIME_PATTERN, { message: '$property must be an ISO 8601 UTC instant' }),
    schemaExtrasDecorator({ format: 'date-time' }),
  );
}

/** Money as integer pence, negative allowed (credit notes), at most {@link MAX_ABS_PENCE} either way. */
export function IsPence(): PropertyDecorator {
  return combine(
    IsInt({ message: '$property must be whole pence' }),
    Min(-MAX_ABS_PENCE),
    Max(MAX_ABS_PENCE),
    // class-validator-jsonschema turns @Min/@Max into `type: number`; pence are integers.
    schemaExtrasDecorator({ type: 'integer', 'x-unit': 'GBP pence' }),
  );
}

/** UPRN: up to 12 digits as a string. */
export function IsUprn(): PropertyDecorator {
  return Matches(UPRN_PATTERN, { message: '$property must be a UPRN (1 to 12 digits)' });
}

/** USRN: up to 8 digits as a string. */
export function IsUsrn(): PropertyDecorator {
  return Matches(USRN_PATTERN, { message: '$property must be a USRN (1 to 8 digits)' });
}

/** UK postcode, normalised (`CV1 5RR`). */
export function IsUkPostcode(): PropertyDecorator {
  return Matches(UK_POSTCODE_PATTERN, { message: '$property must be a normalised UK postcode' });
}

/**
 * National Insurance number, normalised (`AB123456C`). Always personal data, so this also applies
 * {@link Pii}.
 */
export function IsNino(): PropertyDecorator {
  return combine(Matches(NINO_PATTERN, { message: '$property must be a National Insurance number' }), Pii());
}
