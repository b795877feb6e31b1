import { fail, ok, type ParseResult } from './parse-result';

/** Options of {@link compileStringParser}. */
export interface StringOptions {
  readonly case?: 'upper' | 'lower';
  /** Remove all whitespace (identifiers written with spaces, e.g. VAT numbers). */
  readonly removeSpaces?: boolean;
  /**
   * Regular expression the value must match; the value becomes its capture groups joined (or the whole
   * match without groups). E.g. `^(?:GB)?(\d{9})$` turns `GB812311285` into `812311285`.
   */
  readonly extract?: RegExp;
}

/**
 * Builds a string parser with its options fixed, so nothing is decided per value: trims, then applies
 * case, whitespace removal and extraction. Numbers and booleans are written as text.
 */
export function compileStringParser(options: StringOptions = {}): (input: unknown) => ParseResult<string> {
  const { extract, removeSpaces } = options;
  const upper = options.case === 'upper';
  const lower = options.case === 'lower';
  const noMatch = fail('does not have the expected form');
  return (input) => {
    let s: string;
    if (typeof input === 'string') s = input.trim();
    else if (typeof input === 'number' && Number.isFinite(input)) s = String(input);
    else if (typeof input === 'boolean') s = String(input);
    else return fail('is not text');
    if (removeSpaces === true) s = s.replace(/\s+/g, '');
    if (upper) s = s.toUpperCase();
    else if (lower) s = s.toLowerCase();
    if (extract !== undefined) {
      const m = extract.exec(s);
      if (m === null) return noMatch;
      s =
        m.length > 1
          ? m
              .slice(1)
              .filter((g) => g !== undefined)
              .join('')
          : m[0];
    }
    return ok(s);
  };
}

/** Matching key for enum values and lookup keys: lower case letters and digits only. */
export function valueKey(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Builds an enum parser: a value matches an allowed value ignoring case, spaces and punctuation
 * (`Fixed penalty notice` matches `fixed-penalty-notice`) and is returned in its canonical spelling.
 */
export function compileEnumParser(allowed: readonly string[]): (input: unknown) => ParseResult<string> {
  const byKey = new Map(allowed.map((v) => [valueKey(v), v]));
  const notAllowed = fail(`is not one of the allowed values (${allowed.join(', ')})`);
  return (input) => {
    if (typeof input !== 'string' && typeof input !== 'number') return notAllowed;
    const found = byKey.get(valueKey(String(input)));
    return found === undefined ? notAllowed : ok(found);
  };
}
