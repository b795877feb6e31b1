import type { IRetryBackoffContext } from 'cockatiel';
import type { HttpDestination } from '@hub/routing';
import {
  DEFAULT_DELIVERY_POLICY,
  classifyStatus,
  parseRetryAfter,
  policyFor,
  retryBackoff,
} from './delivery-policy';

const destination: HttpDestination = { id: 'webhook', kind: 'http', url: 'http://ssc.test/hook' };

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-23T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date, as the time left from now (0 once past)', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither: absent, negative, fractional, nonsense', () => {
    for (const value of [undefined, '', '-5', '1.5', 'soon', 'Xyz, 99 Foo 2026'])
      expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('classifyStatus', () => {
  it.each([200, 201, 202, 204])('%i is delivered', (status) =>
    expect(classifyStatus(status)).toEqual({ kind: 'delivered' }),
  );

  it.each([408, 429, 502, 503, 504])('%i is retried and counts against the destination (circuit)', (status) =>
    expect(classifyStatus(status)).toEqual({ kind: 'retry', destinationLevel: true }),
  );

  it.each([500, 501, 507])('%i is retried but is about the record, not the destination', (status) =>
    expect(classifyStatus(status)).toEqual({ kind: 'retry', destinationLevel: false }),
  );

  it.each([400, 401, 403, 404, 409, 410, 413, 422, 301, 304])('%i is a refusal: not retried', (status) =>
    expect(classifyStatus(status)).toEqual({ kind: 'reject' }),
  );
});

describe('policyFor', () => {
  it("takes the destination's own timeouts and attempts over the defaults", () => {
    const p = policyFor(
      { ...destination, connectTimeoutMs: 1000, responseTimeoutMs: 3000, maxAttempts: 4 },
      { initialBackoffMs: 10 },
    );
    expect(p).toMatchObject({
      connectTimeoutMs: 1000,
      responseTimeoutMs: 3000,
      maxAttempts: 4,
      initialBackoffMs: 10,
      maxBackoffMs: DEFAULT_DELIVERY_POLICY.maxBackoffMs,
    });
  });

  it('never lets the circuit need more failures than a record has attempts (an outage holds records, not dead-letters them)', () => {
    expect(policyFor({ ...destination, maxAttempts: 3 }).breakerThreshold).toBe(3);
    expect(policyFor(destination).breakerThreshold).toBe(DEFAULT_DELIVERY_POLICY.breakerThreshold);
  });

  it('fails fast on a setting that cannot work, naming the destination and setting', () => {
    expect(() => policyFor({ ...destination, maxAttempts: 0 })).toThrow(/webhook: maxAttempts/);
  });
});

describe('retryBackoff', () => {
  const settings = policyFor(destination, { initialBackoffMs: 100, maxBackoffMs: 1000 });
  const context = (attempt: number, retryAfterMs?: number): IRetryBackoffContext<unknown> => ({
    attempt,
    signal: new AbortController().signal,
    result: { value: { verdict: { kind: 'retry', destinationLevel: true }, retryAfterMs } },
  });

  it('grows exponentially with jitter (between half and all of the step) and stops at maxBackoffMs', () => {
    let backoff = retryBackoff(settings).next(context(1));
    const delays = [backoff.duration];
    for (let attempt = 2; attempt <= 8; attempt++) {
      backoff = backoff.next(context(attempt));
      delays.push(backoff.duration);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[3]).toBeGreaterThanOrEqual(400);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
    expect(delays[7]).toBeGreaterThanOrEqual(500);
  });

  it('waits at least what Retry-After asked for', () => {
    expect(retryBackoff(settings).next(context(1, 800)).duration).toBe(800);
  });
});
