/**
 * Outcome of a value parser. A failure's `reason` describes the rule that was broken, never the value
 * (values may be personal data), so it can go into DLQ headers and logs as it is.
 */
export type ParseResult<T> = ParseOk<T> | ParseFailure;

/** A parsed value. */
export interface ParseOk<T> {
  readonly ok: true;
  readonly value: T;
}

/** A value that could not be parsed. */
export interface ParseFailure {
  readonly ok: false;
  /** e.g. "is not a real calendar date" (completes the sentence "<field> ..."). */
  readonly reason: string;
  /**
   * true when the value is recognisably a damaged identifier (a UPRN rounded by a spreadsheet): the
   * mapping keeps the raw value elsewhere and reports a warning instead of rejecting the record.
   */
  readonly mangled?: boolean;
}

/** @internal */
export function ok<T>(value: T): ParseOk<T> {
  return { ok: true, value };
}

/** @internal */
export function fail(reason: string, mangled = false): ParseFailure {
  return mangled ? { ok: false, reason, mangled } : { ok: false, reason };
}
