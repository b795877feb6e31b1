import { ISO_DATE_PATTERN } from '@hub/canonical';
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * `endDate` on or after `startDate`: an absence or an employment cannot end before it starts.
 *
 * Compares only when both values are ISO dates (`yyyy-mm-dd` sorts as text); a malformed date is
 * reported by its own `@IsIsoDate` rule. The message names the two properties, never their values
 * (dates of an identified employee are personal data and messages reach DLQ headers and logs).
 */
export function IsNotBefore(property: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBefore',
      constraints: [property],
      validator: {
        validate(value: unknown, args?: ValidationArguments): boolean {
          const other = args === undefined ? undefined : (args.object as Record<string, unknown>)[property];
          if (typeof value !== 'string' || typeof other !== 'string') return true;
          if (!ISO_DATE_PATTERN.test(value) || !ISO_DATE_PATTERN.test(other)) return true;
          return value >= other;
        },
        defaultMessage(): string {
          return `$property must not be before ${property}`;
        },
      },
    },
    options,
  );
}
