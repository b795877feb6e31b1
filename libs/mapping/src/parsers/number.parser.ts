import { fail, ok, type ParseResult } from './parse-result';

const DECIMAL = /^([+-])?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?$/;
const INTEGER = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)$/;
const NOT_NUMBER = fail('is not a number');
const NOT_INTEGER = fail('is not a whole number');

/** Options of {@link parseDecimal}. */
export interface DecimalOptions {
  /** Most decimal places accepted (default 6; FTE uses 5). */
  readonly scale?: number;
}

/** Parses a decimal number (`1,234.5`, `-0.25`, `.5`, JSON numbers) with at most `scale` decimals. */
export function parseDecimal(input: unknown, options: DecimalOptions = {}): ParseResult<number> {
  const scale = options.scale ?? 6;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return NOT_NUMBER;
    const scaled = input * 10 ** scale;
    if (Math.abs(scaled - Math.round(scaled)) > 1e-6 * Math.max(1, Math.abs(scaled))) {
      return fail(`has more than ${scale} decimal places`);
    }
    return ok(input);
  }
  if (typeof input !== 'string') return NOT_NUMBER;
  const match = DECIMAL.exec(input.trim());
  if (match === null || (match[2] === '' && match[3] === undefined)) return NOT_NUMBER;
  if (match[3] !== undefined && match[3].length > scale) return fail(`has more than ${scale} decimal places`);
  const value = Number(
    `${match[1] ?? ''}${match[2]!.replace(/,/g, '') || '0'}${match[3] === undefined ? '' : `.${match[3]}`}`,
  );
  return Number.isFinite(value) ? ok(value === 0 ? 0 : value) : NOT_NUMBER;
}

/** Parses a whole number (`1,234`, `-7`, JSON integers) within the safe integer range. */
export function parseInteger(input: unknown): ParseResult<number> {
  if (typeof input === 'number')
    return Number.isSafeInteger(input) ? ok(input === 0 ? 0 : input) : NOT_INTEGER;
  if (typeof input !== 'string') return NOT_INTEGER;
  const match = INTEGER.exec(input.trim());
  if (match === null) return NOT_INTEGER;
  const value = Number(`${match[1] ?? ''}${match[2]!.replace(/,/g, '')}`);
  return Number.isSafeInteger(value) ? ok(value === 0 ? 0 : value) : fail('is out of the whole-number range');
}
