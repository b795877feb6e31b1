import { MockAgent } from 'undici';
import type { HttpDestination } from '@hub/routing';
import { DeliveryPolicySettings, policyFor } from './delivery-policy';
import { HttpDeliveryClient } from './http-delivery.client';

const ORIGIN = 'http://ssc.test';
const destination: HttpDestination = { id: 'webhook', kind: 'http', url: `${ORIGIN}/hook`, maxAttempts: 4 };
// Millisecond back-offs: these specs are about decisions, not waiting.
const fast: Partial<DeliveryPolicySettings> = {
  initialBackoffMs: 1,
  maxBackoffMs: 50,
  breakerThreshold: 10,
  halfOpenAfterMs: 60_000,
};

describe('HttpDeliveryClient (undici MockAgent, no network)', () => {
  let agent: MockAgent;
  let client: HttpDeliveryClient;
  const request = {
    idempotencyKey: 'delivery-1',
    body: Buffer.from('{"id":"c1"}'),
    headers: { 'X-Hub-Route-Id': 'r1' },
  };
  const answers = (...statuses: Array<number | Error>) => {
    const seen: Array<Record<string, string>> = [];
    for (const s of statuses) {
      const scope = agent.get(ORIGIN).intercept({ path: '/hook', method: 'POST' });
      if (s instanceof Error) scope.replyWithError(s);
      else
        scope.reply((opts) => {
          seen.push(opts.headers as Record<string, string>);
          return { statusCode: s, data: '' };
        });
    }
    return seen;
  };
  const start = (overrides: Partial<DeliveryPolicySettings> = {}) => {
    client = new HttpDeliveryClient(destination, policyFor(destination, { ...fast, ...overrides }), {
      dispatcher: agent,
    });
  };

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });

  afterEach(async () => {
    await client.close();
    await agent.close();
  });

  it('POSTs JSON with the Idempotency-Key, retries a 503 and delivers on the 200', async () => {
    start();
    const seen = answers(503, 200);
    const outcome = await client.deliver(request);
    expect(outcome.kind).toBe('delivered');
    expect(outcome.attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(seen[1]).toMatchObject({
      'Idempotency-Key': 'delivery-1',
      'Content-Type': 'application/json',
      'X-Hub-Route-Id': 'r1',
    });
    expect(outcome.attempts[0].latencyMs).toEqual(expect.any(Number));
  });

  it('does not retry a 400: rejected after one attempt', async () => {
    start();
    answers(400, 200);
    const outcome = await client.deliver(request);
    expect(outcome).toMatchObject({ kind: 'rejected', attempts: [{ attempt: 1, status: 400 }] });
  });

  it('retries network errors and 500s up to maxAttempts, then fails (the circuit stays closed: the record, not the destination)', async () => {
    start();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    answers(refused, 500, 500, 500);
    const outcome = await client.deliver(request);
    expect(outcome.kind).toBe('failed');
    expect(outcome.attempts.map((a) => a.status ?? a.error)).toEqual(['ECONNREFUSED', 500, 500, 500]);
    expect(client.circuit).toBe('closed');
  });

  it('holds records while the circuit is open instead of failing them, and refuses further calls without sending', async () => {
    start({ breakerThreshold: 3 });
    answers(503, 503, 503);
    const first = await client.deliver(request);
    expect(first).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('webhook') });
    expect(first.attempts).toHaveLength(3);
    expect(client.circuit).toBe('open');
    const second = await client.deliver(request);
    expect(second).toMatchObject({ kind: 'unavailable', attempts: [] });
  });

  it('pauses the destination for a Retry-After longer than the longest back-off', async () => {
    start();
    agent
      .get(ORIGIN)
      .intercept({ path: '/hook', method: 'POST' })
      .reply(503, '', { headers: { 'retry-after': '120' } });
    const outcome = await client.deliver(request);
    expect(outcome).toMatchObject({
      kind: 'unavailable',
      attempts: [{ status: 503, retryAfterMs: 120_000 }],
    });
    expect(client.circuit).toBe('paused');
    expect(client.pausedUntil!.getTime()).toBeGreaterThan(Date.now() + 110_000);
    expect(await client.deliver(request)).toMatchObject({ kind: 'unavailable', attempts: [] });
  });

  it('once stopping, answers unavailable (the batch is not committed) rather than failing the record', async () => {
    start();
    client.abort();
    answers(503);
    expect((await client.deliver(request)).kind).toBe('unavailable');
  });
});
