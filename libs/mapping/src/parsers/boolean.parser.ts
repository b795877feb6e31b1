import { fail, ok, type ParseResult } from './parse-result';

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);
const NOT_BOOLEAN = fail('is not a yes/no value (expected true/false, yes/no, y/n or 1/0)');

/** Parses a flag: booleans, 1/0, and (case-insensitive) true/false, t/f, yes/no, y/n. */
export function parseBoolean(input: unknown): ParseResult<boolean> {
  if (typeof input === 'boolean') return ok(input);
  if (input === 1 || input === 0) return ok(input === 1);
  if (typeof input !== 'string') return NOT_BOOLEAN;
  const key = input.trim().toLowerCase();
  if (TRUE.has(key)) return ok(true);
  if (FALSE.has(key)) return ok(false);
  return NOT_BOOLEAN;
}
