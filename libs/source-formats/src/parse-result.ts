import type { ParseResult, SourceFormatError, SourceFormatErrorCode } from './source-format.types';

/** Wraps a value as a successful result. */
export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

/** Builds a failed result; `line` and `byteOffset` are left out when unknown so the error serialises cleanly. */
export function fail<T>(
  code: SourceFormatErrorCode,
  reason: string,
  where: { line?: number; byteOffset?: number } = {},
): ParseResult<T> {
  return { ok: false, error: sourceError(code, reason, where) };
}

/** Builds an error value (used for error rows, which are not whole-result failures). */
export function sourceError(
  code: SourceFormatErrorCode,
  reason: string,
  where: { line?: number; byteOffset?: number } = {},
): SourceFormatError {
  const error: SourceFormatError = { code, reason };
  if (where.line !== undefined) error.line = where.line;
  if (where.byteOffset !== undefined) error.byteOffset = where.byteOffset;
  return error;
}
