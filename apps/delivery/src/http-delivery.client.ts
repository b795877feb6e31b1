import { performance } from 'node:perf_hooks';
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  IPolicy,
  IRetryContext,
  circuitBreaker,
  handleWhenResult,
  retry,
  wrap,
} from 'cockatiel';
import { Agent, Dispatcher, request } from 'undici';
import type { HttpDestination } from '@hub/routing';
import { DeliveryAttempt, DeliveryOutcome, DeliveryPort, DeliveryRequest } from './delivery.port';
import {
  DeliveryPolicySettings,
  NETWORK_FAILURE,
  StatusVerdict,
  classifyStatus,
  parseRetryAfter,
  retryBackoff,
} from './delivery-policy';

/** An attempt's verdict as the resilience policies see it; `pause`: the destination asked for a long wait. */
interface AttemptResult {
  verdict: StatusVerdict | { kind: 'pause' };
  retryAfterMs?: number;
}

const isRetry = (r: unknown): boolean => (r as AttemptResult).verdict.kind === 'retry';
const isDestinationFailure = (r: unknown): boolean => {
  const verdict = (r as AttemptResult).verdict;
  return verdict.kind === 'retry' && verdict.destinationLevel;
};

/** The circuit as readiness and metrics show it. `paused`: held open for a Retry-After longer than maxBackoffMs. */
export type CircuitStatus = 'closed' | 'open' | 'half-open' | 'paused';

/** Seams for tests; production uses the defaults. */
export interface HttpDeliveryClientOptions {
  /** Tests pass undici's MockAgent; otherwise one connection pool per destination. */
  dispatcher?: Dispatcher;
  clock?: () => Date;
}

/**
 * POSTs canonical records to one HTTP destination: undici for HTTP (connect and response timeouts),
 * cockatiel for resilience: retries with exponential back-off and jitter that honour Retry-After,
 * inside which each attempt passes one circuit breaker shared by every record of the destination.
 * Expected failures are values (see {@link DeliveryOutcome}); nothing here throws for an HTTP answer.
 */
export class HttpDeliveryClient implements DeliveryPort {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policy: IPolicy<IRetryContext>;
  private readonly stopping = new AbortController();
  private readonly clock: () => Date;
  private pause?: { until: Date; timer: NodeJS.Timeout };

  constructor(
    readonly destination: HttpDestination,
    readonly settings: DeliveryPolicySettings,
    options: HttpDeliveryClientOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: settings.connectTimeoutMs } });
    this.breaker = circuitBreaker(handleWhenResult(isDestinationFailure), {
      halfOpenAfter: settings.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(settings.breakerThreshold),
    });
    // Retry outside, breaker inside: every attempt counts towards (and is stopped by) the circuit.
    const retries = retry(handleWhenResult(isRetry), {
      maxAttempts: settings.maxAttempts - 1,
      backoff: retryBackoff(settings),
    });
    this.policy = wrap(retries, this.breaker);
  }

  get circuit(): CircuitStatus {
    if (this.pause) return 'paused';
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Isolated:
        return 'paused';
      default:
        return 'open';
    }
  }

  /** Until when the destination asked us to wait (Retry-After), if it did. */
  get pausedUntil(): Date | undefined {
    return this.pause?.until;
  }

  async deliver(req: DeliveryRequest): Promise<DeliveryOutcome> {
    const attempts: DeliveryAttempt[] = [];
    let last: AttemptResult;
    try {
      last = await this.policy.execute(() => this.attempt(req, attempts), this.stopping.signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        return {
          kind: 'unavailable',
          attempts,
          reason: `the circuit of destination ${this.destination.id} is ${this.circuit}`,
        };
      }
      throw error;
    }
    if (this.stopping.signal.aborted)
      return { kind: 'unavailable', attempts, reason: 'the delivery worker is stopping' };
    switch (last.verdict.kind) {
      case 'delivered':
        return { kind: 'delivered', attempts };
      case 'reject':
        return { kind: 'rejected', attempts };
      case 'pause':
        return {
          kind: 'unavailable',
          attempts,
          reason: `destination ${this.destination.id} asked for ${Math.ceil((last.retryAfterMs ?? 0) / 1000)} s (Retry-After)`,
        };
      case 'retry':
        // Out of attempts. If the circuit opened on the way, the destination is down, not this record:
        // keep it (the batch is retried) rather than dead-letter every record an outage touches.
        return this.breaker.state === CircuitState.Closed
          ? { kind: 'failed', attempts }
          : {
              kind: 'unavailable',
              attempts,
              reason: `the circuit of destination ${this.destination.id} opened`,
            };
    }
  }

  /** Interrupts in-flight requests and retry waits (shutdown); outcomes from now on are `unavailable`. */
  abort(): void {
    this.stopping.abort();
  }

  async close(): Promise<void> {
    this.abort();
    if (this.pause) clearTimeout(this.pause.timer);
    if (this.ownsDispatcher) await this.dispatcher.destroy().catch(() => undefined);
  }

  private async attempt(req: DeliveryRequest, attempts: DeliveryAttempt[]): Promise<AttemptResult> {
    const at = this.clock();
    const started = performance.now();
    const record: DeliveryAttempt = { attempt: attempts.length + 1, at, status: null, latencyMs: 0 };
    attempts.push(record);
    let result: AttemptResult;
    try {
      const response = await request(this.destination.url, {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: {
          ...req.headers,
          'Content-Type': 'application/json',
          'Idempotency-Key': req.idempotencyKey,
        },
        body: req.body,
        headersTimeout: this.settings.responseTimeoutMs,
        bodyTimeout: this.settings.responseTimeoutMs,
        signal: this.stopping.signal,
      });
      // Read to the end so the connection is reused; the SSC's answer itself is not kept (it could echo the record).
      await response.body.dump();
      record.status = response.statusCode;
      const header = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, this.clock());
      if (retryAfterMs !== undefined) record.retryAfterMs = retryAfterMs;
      result = { verdict: classifyStatus(response.statusCode), retryAfterMs };
    } catch (error) {
      record.error = transportErrorCode(error);
      result = { verdict: NETWORK_FAILURE };
    }
    record.latencyMs = Math.round(performance.now() - started);
    if (result.verdict.kind === 'retry' && (result.retryAfterMs ?? 0) > this.settings.maxBackoffMs) {
      // Sleeping that long inside a batch would stall the consumer; hold the whole destination instead.
      this.pauseFor(result.retryAfterMs!);
      return { verdict: { kind: 'pause' }, retryAfterMs: result.retryAfterMs };
    }
    return result;
  }

  private pauseFor(ms: number): void {
    if (this.pause) return;
    const handle = this.breaker.isolate();
    const timer = setTimeout(() => {
      handle.dispose();
      this.pause = undefined;
    }, ms);
    timer.unref();
    this.pause = { until: new Date(this.clock().getTime() + ms), timer };
  }
}

function transportErrorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (error instanceof Error) return error.name;
  }
  return 'UNKNOWN';
}
