import { NINO_PATTERN } from '@hub/canonical';
import { fail, ok, type ParseResult } from './parse-result';

/** Options of {@link parseUprn}. */
export interface UprnOptions {
  /**
   * Treat a UPRN ending in `000000` as rounded by a spreadsheet (15 significant digits shown as 6)
   * and therefore mangled. Turn on for feeds known to pass through Excel.
   */
  readonly spreadsheetRounding?: boolean;
}

const SCIENTIFIC = /^\d+(?:\.\d+)?e[+-]?\d+$/i;
const DIGITS_WITH_POINT_ZERO = /^(\d+)(?:\.0+)?$/;

/**
 * Parses a UPRN into its canonical string form (`^\d{1,12}$`, no leading zeros). A damaged value is
 * reported with `mangled: true` so the mapping can keep the raw value as the source key and warn instead
 * of rejecting the record: `0`, scientific notation (`1.00023E+11`), and with `spreadsheetRounding` a
 * value ending in `000000`. Anything else that is not 1 to 12 digits is invalid.
 */
export function parseUprn(input: unknown, options: UprnOptions = {}): ParseResult<string> {
  return parsePropertyId(input, 12, 'UPRN', options.spreadsheetRounding === true);
}

/** Parses a USRN (`^\d{1,8}$`); `0` and scientific notation are reported as mangled. */
export function parseUsrn(input: unknown): ParseResult<string> {
  return parsePropertyId(input, 8, 'USRN', false);
}

function parsePropertyId(
  input: unknown,
  maxDigits: number,
  kind: string,
  rounding: boolean,
): ParseResult<string> {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return fail(`is not a ${kind}`);
    if (!Number.isInteger(input)) return fail(`is not a ${kind} (it has a fraction)`);
    text = input.toFixed(0);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return fail(`is not a ${kind}`);
  }
  if (SCIENTIFIC.test(text))
    return fail(`is in scientific notation, so a spreadsheet has lost its digits`, true);
  const match = DIGITS_WITH_POINT_ZERO.exec(text);
  if (match === null) return fail(`is not a ${kind} (expected 1 to ${maxDigits} digits)`);
  const digits = match[1]!.replace(/^0+/, '');
  if (digits === '') return fail(`is zero, which is no ${kind}`, true);
  if (digits.length > maxDigits) return fail(`is longer than ${maxDigits} digits, so it is no ${kind}`);
  if (rounding && digits.length > 6 && digits.endsWith('000000')) {
    return fail('ends in 000000, so a spreadsheet has probably rounded it', true);
  }
  return ok(digits);
}

// Royal Mail's letter rules per position: Q, V, X never first; I, J, Z never second; and so on.
const POSTCODE =
  /^([A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]))(\d[ABD-HJLNP-UW-Z]{2})$/;

/**
 * Normalises a UK postcode: upper case, inner whitespace removed, one space before the inward code
 * (`cv1 5rr` and `CV15RR` both give `CV1 5RR`). Shapes and letters Royal Mail never uses are rejected.
 */
export function parsePostcode(input: unknown): ParseResult<string> {
  if (typeof input !== 'string') return fail('is not a UK postcode');
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (compact === 'GIR0AA') return ok('GIR 0AA');
  const match = POSTCODE.exec(compact);
  return match === null ? fail('is not a UK postcode') : ok(`${match[1]} ${match[2]}`);
}

/**
 * Validates a National Insurance number in HMRC's format and normalises it (upper case, no spaces):
 * two prefix letters (D, F, I, Q, U and V never used; O not second; BG, GB, KN, NK, NT, TN and ZZ not
 * allocated), six digits and a suffix A to D. Temporary numbers (TN) are rejected.
 */
export function parseNino(input: unknown): ParseResult<string> {
  if (typeof input !== 'string') return fail('is not a National Insurance number');
  const compact = input.replace(/[\s-]+/g, '').toUpperCase();
  return NINO_PATTERN.test(compact)
    ? ok(compact)
    : fail('is not a National Insurance number (HMRC format AB123456C)');
}
