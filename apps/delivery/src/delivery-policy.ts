import {
  DelegateBackoff,
  ExponentialBackoff,
  FailureReason,
  IBackoff,
  IBackoffFactory,
  IRetryBackoffContext,
  halfJitterGenerator,
} from 'cockatiel';
import type { HttpDestination } from '@hub/routing';

/** How the delivery worker treats one HTTP destination. See apps/delivery/README.md ("Outcome policy"). */
export interface DeliveryPolicySettings {
  /** HTTP attempts per record, the first included. */
  maxAttempts: number;
  /** Time to open the TCP connection, milliseconds. */
  connectTimeoutMs: number;
  /** Time to the response headers, and then between body chunks, milliseconds. */
  responseTimeoutMs: number;
  /** First retry delay before jitter, milliseconds; doubles per retry. */
  initialBackoffMs: number;
  /** Longest single retry delay, milliseconds. A Retry-After longer than this pauses the destination instead. */
  maxBackoffMs: number;
  /** Consecutive destination-level failures (network, timeout, 408, 429, 502-504) that open the circuit. */
  breakerThreshold: number;
  /** How long an open circuit stays open before one trial request, milliseconds. */
  halfOpenAfterMs: number;
}

/** The defaults, written once. A destination's own `connectTimeoutMs`, `responseTimeoutMs` and `maxAttempts` win. */
export const DEFAULT_DELIVERY_POLICY: Readonly<DeliveryPolicySettings> = Object.freeze({
  maxAttempts: 6,
  connectTimeoutMs: 2_000,
  responseTimeoutMs: 5_000,
  initialBackoffMs: 200,
  maxBackoffMs: 5_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 2_000,
});

/**
 * The settings for one destination: defaults, then app-wide overrides (tests), then the destination's
 * own configuration. The breaker threshold never exceeds maxAttempts, so a destination that is down
 * opens its circuit before any record runs out of attempts (records are held, not dead-lettered).
 * Throws at start-up on a value that cannot work.
 */
export function policyFor(
  destination: HttpDestination,
  overrides: Partial<DeliveryPolicySettings> = {},
): DeliveryPolicySettings {
  const merged: DeliveryPolicySettings = { ...DEFAULT_DELIVERY_POLICY, ...overrides };
  if (destination.connectTimeoutMs !== undefined) merged.connectTimeoutMs = destination.connectTimeoutMs;
  if (destination.responseTimeoutMs !== undefined) merged.responseTimeoutMs = destination.responseTimeoutMs;
  if (destination.maxAttempts !== undefined) merged.maxAttempts = destination.maxAttempts;
  merged.breakerThreshold = Math.min(merged.breakerThreshold, merged.maxAttempts);
  const bad = (Object.entries(merged) as Array<[keyof DeliveryPolicySettings, number]>).filter(
    ([, v]) => !Number.isInteger(v) || v < 1,
  );
  if (bad.length > 0) {
    throw new Error(
      `Destination ${destination.id}: ${bad.map(([k]) => k).join(', ')} must be whole numbers of at least 1`,
    );
  }
  return merged;
}

/** What one HTTP answer (or its absence) means for the record. */
export type StatusVerdict =
  | { kind: 'delivered' }
  /** Try again. `destinationLevel`: says the destination as a whole is in trouble (counts towards the circuit). */
  | { kind: 'retry'; destinationLevel: boolean }
  /** The destination refused this record; trying again will not change its mind. */
  | { kind: 'reject' };

/** Statuses that say the destination (not this record) is unavailable or overloaded. */
const DESTINATION_LEVEL = new Set([408, 429, 502, 503, 504]);

/**
 * The one place HTTP statuses are classified: 2xx delivered; 408, 429 and 5xx retried (408, 429 and
 * 502-504 also count towards the circuit breaker; a 500 is about this record, the server is alive);
 * every other status (other 4xx, and 1xx/3xx, which a webhook should never answer) is a rejection.
 */
export function classifyStatus(status: number): StatusVerdict {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (DESTINATION_LEVEL.has(status)) return { kind: 'retry', destinationLevel: true };
  if (status >= 500 && status < 600) return { kind: 'retry', destinationLevel: false };
  return { kind: 'reject' };
}

/** A failure with no HTTP answer (refused, reset, connect or response timeout): the destination's trouble. */
export const NETWORK_FAILURE: StatusVerdict = { kind: 'retry', destinationLevel: true };

/**
 * Reads a `Retry-After` header (RFC 9110 10.2.3): delay-seconds or an HTTP-date. Returns milliseconds
 * from `now` (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date always names a day or month; this keeps Date.parse from reading "1.5" as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** The part of an attempt's result the back-off reads. */
export interface RetryAfterCarrier {
  retryAfterMs?: number;
}

/**
 * The retry delay: exponential back-off with jitter (cockatiel's, between half and all of
 * initial x 2^n, capped at maxBackoffMs), but never shorter than what the destination asked for in
 * Retry-After. (A Retry-After longer than maxBackoffMs never reaches here: the client pauses the
 * destination instead.)
 */
export function retryBackoff(
  settings: DeliveryPolicySettings,
): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const exponential = new ExponentialBackoff({
    initialDelay: settings.initialBackoffMs,
    maxDelay: settings.maxBackoffMs,
    generator: halfJitterGenerator,
  });
  return new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown>>((context, previous) => {
    const backoff = previous ? previous.next(context) : exponential.next();
    return { delay: Math.max(backoff.duration, retryAfterOf(context.result) ?? 0), state: backoff };
  });
}

function retryAfterOf(result: FailureReason<unknown>): number | undefined {
  if (!('value' in result) || typeof result.value !== 'object' || result.value === null) return undefined;
  const asked = (result.value as RetryAfterCarrier).retryAfterMs;
  return typeof asked === 'number' ? asked : undefined;
}
