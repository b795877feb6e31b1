/** One HTTP attempt, as the audit log records it. */
export interface DeliveryAttempt {
  /** 1-based, per record and per run of the batch. */
  attempt: number;
  at: Date;
  /** The HTTP status; null when no answer came (see `error`). */
  status: number | null;
  /** Why no answer came: the transport's error code, e.g. ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT. */
  error?: string;
  /** Request to complete response, milliseconds. */
  latencyMs: number;
  /** What the destination asked for in Retry-After, milliseconds. */
  retryAfterMs?: number;
}

/** One record to POST. */
export interface DeliveryRequest {
  /** The router's delivery id (canonical revision + destination). */
  idempotencyKey: string;
  /** The canonical record's JSON bytes, untouched. */
  body: Buffer;
  /** Further headers for the SSC (route, agreement, schema); never personal data. */
  headers?: Record<string, string>;
}

/**
 * How one record's delivery ended. `unavailable` is the one outcome that is not final: the destination
 * as a whole is down (circuit open), paused (a long Retry-After) or the worker is stopping, so the record
 * must be kept and tried again later rather than dead-lettered.
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; attempts: DeliveryAttempt[] }
  | { kind: 'rejected'; attempts: DeliveryAttempt[] }
  | { kind: 'failed'; attempts: DeliveryAttempt[] }
  | { kind: 'unavailable'; attempts: DeliveryAttempt[]; reason: string };

/** What the delivery use case needs from an HTTP destination. */
export interface DeliveryPort {
  deliver(request: DeliveryRequest): Promise<DeliveryOutcome>;
}
