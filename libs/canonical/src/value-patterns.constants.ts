/**
 * Regular expressions for canonical value formats, shared by every domain's models so that a UPRN or a
 * date means the same thing everywhere. Parsers in `@hub/mapping` produce values that match these.
 */

/** Unique Property Reference Number: up to 12 digits, kept as a string. */
export const UPRN_PATTERN = /^\d{1,12}$/;

/** Unique Street Reference Number: up to 8 digits, kept as a string. */
export const USRN_PATTERN = /^\d{1,8}$/;

/** ISO 8601 calendar date, `yyyy-mm-dd`. */
export const ISO_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** ISO 8601 UTC instant as the hub writes it: `yyyy-mm-ddThh:mm:ss.sssZ`. */
export const ISO_DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** UK postcode in normalised form: upper case, one space before the inward code. */
export const UK_POSTCODE_PATTERN =
  /^(GIR 0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]) \d[ABD-HJLNP-UW-Z]{2})$/;

/** National Insurance number in normalised form (no spaces), HMRC prefix rules applied. */
export const NINO_PATTERN = /^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/;

/** Largest absolute amount of money the hub accepts, in pence (£100bn). */
export const MAX_ABS_PENCE = 10_000_000_000_000;
