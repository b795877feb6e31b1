import { MAX_ABS_PENCE } from '@hub/canonical';
import { fail, ok, type ParseResult } from './parse-result';

/** Options of {@link parsePence}. */
export interface PenceOptions {
  /** Unit of the source value: `pounds` (default, up to 2 decimal places) or whole `pence`. */
  readonly unit?: 'pounds' | 'pence';
}

const NOT_MONEY = fail('is not an amount of money (expected e.g. 1,234.56)');
const TOO_PRECISE = fail('has more than 2 decimal places');
const OUT_OF_RANGE = fail('is out of range (more than £100bn either way)');
// Thousands separators must group in threes; a bare "." with 3 digits after it is rejected as
// ambiguous (1.234 is one pound in the UK but one thousand in much of Europe).
const POUNDS = /^(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?$/;
const WHOLE = /^(\d{1,3}(?:,\d{3})+|\d+)$/;

/**
 * Parses money into integer pence. Accepts `£1,234.56`, ` 519.89 `, `-12.00`, `(12.00)` (accounting
 * negative), `12.00-`, `-£5`, `1234` (pounds: 123400 pence) and JSON numbers. Rejects text, NaN, more
 * than 2 decimal places (`1.234`) and amounts beyond ±£100bn (10^13 pence).
 */
export function parsePence(input: unknown, options: PenceOptions = {}): ParseResult<number> {
  const inPence = options.unit === 'pence';
  if (typeof input === 'number') return fromNumber(input, inPence);
  if (typeof input !== 'string') return NOT_MONEY;
  let s = input.trim();
  let signs = 0;
  if (s.startsWith('(') && s.endsWith(')')) {
    signs++;
    s = s.slice(1, -1).trim();
  }
  if (s.endsWith('-')) {
    signs++;
    s = s.slice(0, -1).trim();
  }
  if (s.startsWith('-')) {
    signs++;
    s = s.slice(1).trim();
  }
  if (s.startsWith('£')) s = s.slice(1).trim();
  if (s.startsWith('-')) {
    signs++;
    s = s.slice(1).trim();
  }
  if (signs > 1) return NOT_MONEY;
  const negative = signs === 1;
  let pence: number;
  if (inPence) {
    if (!WHOLE.test(s)) return NOT_MONEY;
    const digits = s.replace(/,/g, '');
    if (digits.length > 14) return OUT_OF_RANGE;
    pence = Number(digits);
  } else {
    const match = POUNDS.exec(s);
    if (match === null) return NOT_MONEY;
    const whole = match[1]!.replace(/,/g, '');
    const fraction = match[2];
    if (whole === '' && fraction === undefined) return NOT_MONEY;
    if (fraction !== undefined && fraction.length > 2) return TOO_PRECISE;
    if (whole.length > 12) return OUT_OF_RANGE;
    pence =
      Number(whole === '' ? '0' : whole) * 100 +
      (fraction === undefined ? 0 : Number(fraction.padEnd(2, '0')));
  }
  if (pence > MAX_ABS_PENCE) return OUT_OF_RANGE;
  return ok(negative && pence !== 0 ? -pence : pence);
}

function fromNumber(n: number, inPence: boolean): ParseResult<number> {
  if (!Number.isFinite(n)) return NOT_MONEY;
  const scaled = inPence ? n : n * 100;
  const pence = Math.round(scaled);
  // Binary floating point: 519.89 * 100 is 51988.99999999999; anything further off had more decimals.
  if (Math.abs(scaled - pence) > 1e-6 * Math.max(1, Math.abs(scaled)))
    return inPence ? NOT_MONEY : TOO_PRECISE;
  if (Math.abs(pence) > MAX_ABS_PENCE) return OUT_OF_RANGE;
  return ok(pence === 0 ? 0 : pence);
}
