import { ErrorCode, isRetriableCode } from './error-codes';

/** Metadata safe to log: identifiers and field names, never personal data or record values. */
export type SafeMeta = Record<string, string | number | boolean | null | undefined>;

/**
 * Base of the hub's error taxonomy: a stable namespaced code, a retriable flag derived from the code,
 * an optional cause, and non-sensitive metadata. The message is a sentence a person can act on.
 */
export class HubError extends Error {
  readonly retriable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly meta: SafeMeta = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HubError';
    this.retriable = isRetriableCode(code);
  }
}

/** An expected failure carried as a value (records that fail validation are data, not exceptions). */
export interface Failure {
  code: ErrorCode;
  /** A sentence naming the field or header, never quoting personal data. */
  reason: string;
  stage: PipelineStage;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(code: ErrorCode, reason: string, stage: PipelineStage): Result<T> => ({
  ok: false,
  failure: { code, reason, stage },
});

/** Where in the pipeline something happened; also the `hub_error_stage` DLQ header. */
export type PipelineStage = 'envelope' | 'parse' | 'mapping' | 'validation' | 'routing' | 'delivery' | 'file';
