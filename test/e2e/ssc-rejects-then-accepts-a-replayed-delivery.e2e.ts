import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { repoRoot } from '@hub/config';
import { HubStack, ensureLocalTokens, tokenFor } from '@hub/launcher';
import { migrate } from '@hub/persistence';
import { TopicNames, cloudEventHeaders } from '@hub/platform';
import { RoutingConfig } from '@hub/routing';
import { createSchema, newProducer, TestSchema, testStack, uniqueName } from '@hub/testing';
import { seededRandom } from '../../apps/demo-publisher/src/demo-generator';
import { coventryCaseJson } from '../../apps/demo-publisher/src/generators/crm.generators';
import type {
  DestinationDeadLetterList,
  DestinationReplayReport,
} from '../../apps/console/src/destinations/replay-destination-dead-letters.use-case';
import type { ReceiptsSummary } from '../../apps/ssc-simulator/src/ssc-receipts.store';

/** The console's error body. */
interface ApiError {
  error: { code: string; message: string };
}

/**
 * The SSC's contact-centre webhook refuses two Coventry cases with a 400: the hub does not retry a
 * refusal, so each lands in the destination's DLQ after ONE attempt. Once the SSC accepts again, an ops
 * user replays them through the console: the SSC receives each exactly once. A second replay skips them
 * (already replayed), the SSC still has one arrival per idempotency key, and the case's lineage tells
 * the story: delivery_failed, replayed, delivered. All apps run as processes from dist/.
 */
describe('the SSC rejects deliveries, then accepts them when an operator replays them', () => {
  const { brokers, databaseUrl } = testStack();
  const namespace = `${uniqueName('dreplay').replace(/[^a-z0-9-]/g, '')}.`;
  const topics = new TopicNames(namespace);
  const DESTINATION = 'ssc-contact-centre-webhook';
  const SERVICE = 'contact-centre';
  let schema: TestSchema;
  let stack: HubStack;
  let producer: Producer;
  let tokens: { ops: string; auditor: string };

  beforeAll(async () => {
    schema = await createSchema(databaseUrl, 'dreplay');
    await migrate(databaseUrl, schema.name);
    const dir = mkdtempSync(join(tmpdir(), 'hub-dreplay-'));
    const local = ensureLocalTokens(join(dir, 'tokens.json'));
    tokens = { ops: tokenFor(local, 'ops'), auditor: tokenFor(local, 'auditor') };
    const routesFile = join(dir, 'routing.json');
    stack = new HubStack({
      brokers,
      databaseUrl,
      namespace,
      schema: schema.name,
      tokensFile: join(dir, 'tokens.json'),
      logDir: join(dir, 'logs'),
      apps: ['ssc-simulator', 'audit-writer', 'ingest', 'router', 'delivery', 'console'],
      env: { ROUTES_FILE: routesFile },
    });
    // The routing file names the simulator's URL, known once it has started.
    await stack.startApp('ssc-simulator');
    const repoRouting = JSON.parse(
      readFileSync(join(repoRoot(), 'config', 'routing.json'), 'utf8'),
    ) as RoutingConfig;
    const routing: RoutingConfig = {
      agreements: repoRouting.agreements.filter((a) => a.id === 'dsa-cswp-customer-2026'),
      destinations: [
        {
          id: DESTINATION,
          kind: 'http',
          url: `${stack.url('ssc-simulator')}/ssc/${SERVICE}`,
          connectTimeoutMs: 1_000,
          responseTimeoutMs: 2_000,
          maxAttempts: 3,
        },
        { id: 'ssc-contact-centre', kind: 'kafka', service: 'contact-centre' },
      ],
      routes: [
        {
          id: 'cases-to-contact-centre-webhook',
          match: { entity: 'crm.case' },
          destination: DESTINATION,
          agreement: 'dsa-cswp-customer-2026',
        },
      ],
    };
    writeFileSync(routesFile, JSON.stringify(routing));
    const rest = stack.options.apps.filter((app) => app !== 'ssc-simulator');
    const started = await Promise.allSettled(rest.map((app) => stack.startApp(app)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    producer = newProducer(brokers, 'coventry-firmstep');
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await stack?.stop();
    await schema?.cleanup();
  });

  async function api<T>(path: string, token: string, body?: unknown): Promise<{ status: number; json: T }> {
    const response = await fetch(`${stack.url('console')}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as T };
  }

  async function ssc(path: string, body?: unknown): Promise<ReceiptsSummary> {
    const response = await fetch(`${stack.url('ssc-simulator')}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.ok).toBe(true);
    return (await response.json()) as ReceiptsSummary;
  }

  async function until<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, ms = 30_000) {
    const deadline = Date.now() + ms;
    let last: T = await probe();
    while (!done(last)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 300));
      last = await probe();
    }
    return last;
  }

  it('dead-letters refused cases after one attempt and delivers each once when replayed', async () => {
    const received = () => ssc(`/ssc/received?service=${SERVICE}`);
    await ssc('/ssc/control', { mode: 'reject', status: 400 });

    // Two Coventry Firmstep cases, in the council's own layout.
    const rnd = seededRandom(4242);
    const cases = [1, 2].map((n) => ({ ...coventryCaseJson.make(n, rnd), ceId: `${namespace}case-${n}` }));
    await producer.send({
      topic: topics.council('coventry', 'crm'),
      messages: cases.map((c) => ({
        key: c.key,
        value: c.body,
        headers: cloudEventHeaders({
          id: c.ceId,
          source: '/councils/coventry/firmstep',
          type: 'uk.gov.council.crm.case',
          contentType: 'application/json',
        }),
      })),
    });

    // Refused with a 400: not retried, straight to the destination DLQ.
    await until('two refusals', received, (r) => r.refused >= 2);
    const dlq = await until(
      'two dead letters',
      () => api<DestinationDeadLetterList>(`/api/destinations/${DESTINATION}/dlq`, tokens.ops),
      (r) => r.status === 200 && r.json.total >= 2,
    );
    expect(dlq.json.dlqTopic).toBe(topics.destinationDlq(DESTINATION));
    expect(dlq.json.deadLetters).toHaveLength(2);
    for (const d of dlq.json.deadLetters) {
      expect(d).toMatchObject({ code: 'DELIVERY.REJECTED', attempts: 1, status: 400, replayed: false });
      expect(d.canonicalId).toEqual(expect.any(String));
      expect(d.reason).toMatch(/HTTP 400/);
      expect(JSON.stringify(d)).not.toMatch(/customer|fullName|details/);
    }
    expect((await received()).refused).toBe(2);
    const deliveryIds = dlq.json.deadLetters.map((d) => d.deliveryId);

    // Who may replay, and what has no destination DLQ.
    expect((await api(`/api/destinations/${DESTINATION}/dlq/replay`, tokens.auditor, {})).status).toBe(403);
    const unknown = await api<ApiError>('/api/destinations/nowhere/dlq/replay', tokens.ops, {});
    expect(unknown).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    const kafka = await api<ApiError>('/api/destinations/ssc-contact-centre/dlq', tokens.ops);
    expect(kafka).toMatchObject({ status: 400, json: { error: { code: 'REQUEST.INVALID' } } });
    expect(kafka.json.error.message).toMatch(/Kafka destination.*no destination DLQ/);

    // The SSC is fixed; every pending dead letter is replayed.
    await ssc('/ssc/control', { mode: 'ok' });
    const first = await api<DestinationReplayReport>(
      `/api/destinations/${DESTINATION}/dlq/replay`,
      tokens.ops,
      {},
    );
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ replayed: 2, skipped: [] });
    const arrived = await until('two deliveries', received, (r) => r.unique >= 2);
    expect(arrived).toMatchObject({ unique: 2, count: 2, duplicates: 0 });
    expect(arrived.arrivals.map((a) => a.idempotencyKey).sort()).toEqual([...deliveryIds].sort());

    // Again, by ids: each already replayed; an unknown id is reported too. Nothing reaches the SSC twice.
    const second = await api<DestinationReplayReport>(
      `/api/destinations/${DESTINATION}/dlq/replay`,
      tokens.ops,
      { deliveryIds: [...deliveryIds, 'no-such-delivery'] },
    );
    expect(second.status).toBe(200);
    expect(second.json.replayed).toBe(0);
    expect(second.json.skipped.map((s) => [s.deliveryId, s.reason])).toEqual([
      [deliveryIds[0], 'already-replayed'],
      [deliveryIds[1], 'already-replayed'],
      ['no-such-delivery', 'not-found'],
    ]);

    // The lineage of a case: refused, replayed, delivered.
    const lineage = await until(
      'the lineage to show the replay and the delivery',
      () =>
        api<{ sources: Array<{ events: Array<{ stage: string; detail: Record<string, unknown> }> }> }>(
          `/api/lineage/${encodeURIComponent(cases[0].ceId)}`,
          tokens.auditor,
        ),
      (r) =>
        r.status === 200 &&
        ['delivery_failed', 'replayed', 'delivered'].every((s) =>
          r.json.sources.some((src) => src.events.some((e) => e.stage === s)),
        ),
    );
    const events = lineage.json.sources.flatMap((s) => s.events);
    const stages = events.map((e) => e.stage);
    expect(stages.indexOf('delivery_failed')).toBeLessThan(stages.indexOf('replayed'));
    expect(stages.indexOf('replayed')).toBeLessThan(stages.lastIndexOf('delivered'));
    expect(events.find((e) => e.stage === 'replayed')?.detail).toMatchObject({
      destination: DESTINATION,
      replayId: first.json.replayId,
    });

    // The list now shows both as replayed; the SSC still has exactly one arrival per key.
    const after = await api<DestinationDeadLetterList>(`/api/destinations/${DESTINATION}/dlq`, tokens.ops);
    expect(after.json).toMatchObject({ total: 2, pending: 0 });
    expect(await received()).toMatchObject({ unique: 2, count: 2, duplicates: 0, refused: 2 });
  }, 90_000);
});
