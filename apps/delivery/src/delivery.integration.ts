import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AuditEvent, AuditStages, auditEventId, decodeAuditBatch } from '@hub/audit';
import { loadConfig } from '@hub/config';
import { DlqHeaders, ErrorCodes, HubApp, TopicNames } from '@hub/platform';
import {
  DeliveryDlqHeaders,
  DeliveryHeaders,
  HttpDestination,
  RoutingConfig,
  loadRoutingTable,
} from '@hub/routing';
import { newKafka, testStack, uniqueName, waitForMessages } from '@hub/testing';
import type { ReceiptsSummary } from '../../ssc-simulator/src/ssc-receipts.store';
import { startSscSimulator } from '../../ssc-simulator/src/ssc-simulator.app';
import { startRouter } from '../../router/src/router.app';
import { startDelivery } from './delivery.app';

/**
 * The delivery worker against the real broker and the SSC simulator, both in-process (no build
 * needed). Each test has its own topic namespace, routing file, worker and simulator services.
 */
describe('HTTP delivery to the SSC (real broker, SSC simulator)', () => {
  const { brokers } = testStack();
  // 'warn' shows each aborted batch and dead-lettered record when debugging.
  const logLevel = 'error';
  const dir = mkdtempSync(join(tmpdir(), 'hub-delivery-'));
  const running: HubApp[] = [];
  let ssc: HubApp;

  beforeAll(async () => {
    ssc = await startSscSimulator({
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: 0,
      LOG_LEVEL: logLevel,
      HUB_INSTANCE_ID: 'it-ssc',
    });
  });

  afterEach(async () => {
    for (const app of running.splice(0)) await app.close();
  });

  afterAll(async () => {
    await ssc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A simulator service of this test's own, and the HTTP destination that posts to it. */
  const destinationFor = (id: string, maxAttempts = 6): HttpDestination & { service: string } => {
    const service = `svc-${randomBytes(4).toString('hex')}`;
    return {
      id,
      kind: 'http',
      url: `${ssc.url}/ssc/${service}`,
      connectTimeoutMs: 1_000,
      responseTimeoutMs: 2_000,
      maxAttempts,
      service,
    };
  };

  /** Starts a delivery worker for `destinations` in a fresh namespace, with back-offs shortened for the test. */
  async function startWorker(
    destinations: HttpDestination[],
    withRouter?: Pick<RoutingConfig, 'agreements' | 'routes'>,
  ): Promise<TopicNames> {
    const namespace = `${uniqueName('dlv')}.`;
    const routes: RoutingConfig = {
      agreements: withRouter?.agreements ?? [],
      destinations: destinations.map(
        ({ id, kind, url, connectTimeoutMs, responseTimeoutMs, maxAttempts }) => ({
          id,
          kind,
          url,
          connectTimeoutMs,
          responseTimeoutMs,
          maxAttempts,
        }),
      ),
      routes: withRouter?.routes ?? [],
    };
    const file = join(dir, `${namespace}routing.json`);
    writeFileSync(file, JSON.stringify(routes));
    const config = loadConfig({
      KAFKA_BROKERS: brokers.join(','),
      TOPIC_NAMESPACE: namespace,
      HTTP_PORT: '0',
      LOG_LEVEL: logLevel,
      HUB_INSTANCE_ID: 'it',
      ROUTES_FILE: file,
    });
    const table = loadRoutingTable(config.ROUTES_FILE);
    running.push(
      await startDelivery(config, table, {
        policy: { initialBackoffMs: 50, maxBackoffMs: 1_000, breakerThreshold: 3, halfOpenAfterMs: 500 },
      }),
    );
    if (withRouter) running.push(await startRouter(config, table, [{ domain: 'crm', entity: 'case' }]));
    return new TopicNames(namespace);
  }

  /** Produces canonical records as the router hands them to a destination: keyed by canonical id, with its headers. */
  async function route(
    topics: TopicNames,
    destination: string,
    records: Array<{ id: string; revision: string }>,
  ): Promise<Buffer[]> {
    const producer = newKafka(brokers, 'it-router').producer();
    await producer.connect();
    const values = records.map((r) =>
      Buffer.from(
        JSON.stringify({
          schema: 'hub.crm.case.v1',
          id: r.id,
          revision: r.revision,
          operation: 'upsert',
          council: { slug: 'coventry', gss: 'E08000026' },
          source: { eventId: `ce-${r.revision}`, eventTime: new Date().toISOString() },
          data: {},
        }),
      ),
    );
    try {
      await producer.send({
        topic: topics.delivery(destination),
        messages: records.map((r, i) => ({
          key: r.id,
          value: values[i],
          headers: {
            [DeliveryHeaders.deliveryId]: auditEventId(AuditStages.DELIVERED, r.revision, destination),
            [DeliveryHeaders.routeId]: 'cases-http',
            [DeliveryHeaders.agreementId]: 'dsa-cswp-customer-2026',
            [DeliveryHeaders.destination]: destination,
            [DeliveryHeaders.schema]: 'hub.crm.case.v1',
          },
        })),
      });
    } finally {
      await producer.disconnect();
    }
    return values;
  }

  const received = async (service: string): Promise<ReceiptsSummary> =>
    (await fetch(`${ssc.url}/ssc/received?service=${service}`)).json() as Promise<ReceiptsSummary>;
  const control = async (body: object): Promise<void> => {
    const res = await fetch(`${ssc.url}/ssc/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };

  async function eventually<T>(
    probe: () => Promise<T>,
    done: (value: T) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (done(value)) return value;
      if (Date.now() > deadline)
        throw new Error(`${what} within ${timeoutMs} ms; last: ${JSON.stringify(value).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Reads hub.audit.v1 (read-committed) until `enough` says the events it wants are there. */
  async function auditEvents(
    topics: TopicNames,
    enough: (events: AuditEvent[]) => boolean,
    timeoutMs = 20_000,
  ): Promise<AuditEvent[]> {
    const consumer = newKafka(brokers, 'it-audit').consumer({
      groupId: uniqueName('it-audit'),
      maxWaitTimeInMs: 250,
    });
    const events: AuditEvent[] = [];
    let reached: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (reached = resolve));
    let timer: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: topics.audit, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          events.push(...decodeAuditBatch(message.value));
          if (enough(events)) reached();
        },
      });
      await Promise.race([
        done,
        new Promise(
          (_, reject) =>
            (timer = setTimeout(
              () => reject(new Error(`audit: ${events.length} events within ${timeoutMs} ms`)),
              timeoutMs,
            )),
        ),
      ]);
      return events;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect();
    }
  }

  it('a destination down with 503 for a while, then back, receives every record exactly once and in key order; attempts are audited', async () => {
    // Two outages at once, 503 with Retry-After: 1, counted in requests so the test does not depend on
    // the machine's speed. `brief` (2 failed requests) is shorter than a record's 6 attempts: its first
    // record is delivered on attempt 3 of the same batch run. `long` (5 failed requests) outlasts 3
    // attempts: its circuit opens, its batch is aborted and re-run from the committed offset (trial
    // requests only) until it is back. Neither dead-letters anything.
    const brief = destinationFor('ssc-brief-outage', 6);
    const long = destinationFor('ssc-long-outage', 3);
    const topics = await startWorker([brief, long]);
    const ids = Array.from({ length: 8 }, (_, i) => `case-${i}`);
    const records = [1, 2, 3].flatMap((rev) => ids.map((id) => ({ id, revision: `${id}-r${rev}` })));
    await control({
      mode: 'fail',
      status: 503,
      retryAfterSeconds: 1,
      forRequests: 2,
      service: brief.service,
    });
    await control({ mode: 'fail', status: 503, retryAfterSeconds: 1, forRequests: 5, service: long.service });
    await Promise.all([route(topics, brief.id, records), route(topics, long.id, records)]);

    for (const dest of [brief, long]) {
      const summary = await eventually(
        () => received(dest.service),
        (s) => s.unique >= records.length,
        45_000,
        `not every record reached ${dest.id}`,
      );
      expect(summary.refused).toBe(dest === brief ? 2 : 5);
      expect(summary.unique).toBe(records.length);
      expect(new Set(summary.arrivals.map((a) => a.idempotencyKey)).size).toBe(records.length);
      for (const id of ids) expect(summary.byCanonicalId[id]).toEqual([`${id}-r1`, `${id}-r2`, `${id}-r3`]);
    }

    const delivered = (events: AuditEvent[]) => events.filter((e) => e.stage === AuditStages.DELIVERED);
    const events = await auditEvents(topics, (all) => delivered(all).length >= 2 * records.length);
    const attempted = events.filter(
      (e) => e.stage === AuditStages.DELIVERY_ATTEMPTED && e.detail.destination === brief.id,
    );
    expect(attempted.length).toBeGreaterThan(0);
    expect(attempted[0].detail).toMatchObject({
      kind: 'http',
      status: 503,
      attempt: 1,
      latencyMs: expect.any(Number),
      retryAfterMs: 1_000,
    });
    for (const dest of [brief, long]) {
      const ok = delivered(events).filter((e) => e.detail.destination === dest.id);
      expect(new Set(ok.map((e) => e.deliveryId)).size).toBe(records.length);
      expect(ok[0]).toMatchObject({
        council: 'coventry',
        entity: 'crm.case',
        detail: { status: 200, attempt: expect.any(Number), latencyMs: expect.any(Number) },
      });
    }
    expect(events.some((e) => e.stage === AuditStages.DELIVERY_FAILED)).toBe(false);

    // Held, not dead-lettered: batches were aborted and re-run; deliveries are counted once, on commit.
    const metrics = await (await fetch(`${running[0].url}/metrics`)).text();
    expect(
      Number(/hub_batch_failures_total\{[^}]*stage="delivery"[^}]*\} (\d+)/.exec(metrics)?.[1]),
    ).toBeGreaterThan(0);
    for (const dest of [brief, long]) {
      expect(metrics).toMatch(
        new RegExp(
          `hub_deliveries_total\\{[^}]*destination="${dest.id}",outcome="delivered"[^}]*\\} ${records.length}\\n`,
        ),
      );
    }
  });

  it('a 400 goes straight to the destination DLQ (one attempt) with the original bytes and the DLQ headers', async () => {
    const dest = destinationFor('ssc-strict');
    const topics = await startWorker([dest]);
    await control({ mode: 'reject', status: 400, service: dest.service });
    const [value] = await route(topics, dest.id, [{ id: 'case-x', revision: 'case-x-r1' }]);

    const [dead] = await waitForMessages(brokers, topics.destinationDlq(dest.id), 1, { timeoutMs: 20_000 });
    expect(dead.value).toEqual(value);
    expect(dead.key?.toString()).toBe('case-x');
    expect(dead.headers).toMatchObject({
      [DlqHeaders.code]: ErrorCodes.DELIVERY_REJECTED,
      [DlqHeaders.reason]: expect.stringContaining('HTTP 400'),
      [DlqHeaders.stage]: 'delivery',
      [DeliveryDlqHeaders.attempts]: '1',
      [DeliveryDlqHeaders.status]: '400',
    });
    expect(await received(dest.service)).toMatchObject({ refused: 1, unique: 0 });

    const [failed] = (
      await auditEvents(topics, (all) => all.some((e) => e.stage === AuditStages.DELIVERY_FAILED))
    ).filter((e) => e.stage === AuditStages.DELIVERY_FAILED);
    expect(failed).toMatchObject({
      code: ErrorCodes.DELIVERY_REJECTED,
      canonicalId: 'case-x',
      detail: { destination: dest.id, attempt: 1, status: 400, latencyMs: expect.any(Number) },
    });
  });

  it('a destination that is down does not hold up another one', async () => {
    const down = destinationFor('ssc-down');
    const up = destinationFor('ssc-up');
    const topics = await startWorker([down, up]);
    await control({ mode: 'fail', status: 503, service: down.service });
    const records = Array.from({ length: 6 }, (_, i) => ({ id: `case-${i}`, revision: `case-${i}-r1` }));
    const started = Date.now();
    await route(topics, down.id, records);
    await route(topics, up.id, records);

    await eventually(
      () => received(up.service),
      (s) => s.unique === records.length,
      15_000,
      'the healthy destination was held up',
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    const stuck = await received(down.service);
    expect(stuck.unique).toBe(0);
    expect(stuck.refused).toBeGreaterThan(0);
    type Health = { status: string; destinations: Array<{ destination: string; status: string }> };
    const health = await eventually(
      async () => (await (await fetch(`${running[0].url}/health/destinations`)).json()) as Health,
      (h) => h.destinations.some((d) => d.destination === down.id && d.status === 'degraded'),
      5_000,
      'the down destination was not shown degraded',
    );
    expect(health.status).toBe('degraded');
    expect(health.destinations.find((d) => d.destination === up.id)?.status).toBe('up');
  });

  it('the router hands a crm.case to the webhook; the SSC gets it once, keyed by the delivery id the router audited', async () => {
    const dest = destinationFor('ssc-contact-centre-webhook');
    const topics = await startWorker([dest], {
      agreements: [
        {
          id: 'dsa-crm',
          title: 'test',
          parties: ['coventry', 'ssc'],
          recordTypes: ['crm.case'],
          purpose: 'test',
          validFrom: '2026-01-01',
        },
      ],
      routes: [
        { id: 'cases-http', match: { entity: 'crm.case' }, destination: dest.id, agreement: 'dsa-crm' },
      ],
    });
    const producer = newKafka(brokers, 'it-ingest').producer();
    await producer.connect();
    const record = {
      schema: 'hub.crm.case.v1',
      id: 'case-r',
      revision: 'case-r-rev1',
      operation: 'upsert',
      council: { slug: 'coventry', gss: 'E08000026' },
      source: { eventId: 'ce-r', eventTime: new Date().toISOString() },
      data: {},
    };
    await producer.send({
      topic: topics.canonical('crm', 'case'),
      messages: [{ key: record.id, value: JSON.stringify(record) }],
    });
    await producer.disconnect();

    const summary = await eventually(
      () => received(dest.service),
      (s) => s.unique === 1,
      30_000,
      'the routed record did not arrive',
    );
    const deliveryId = auditEventId(AuditStages.DELIVERED, record.revision, dest.id);
    expect(summary.arrivals[0]).toMatchObject({
      idempotencyKey: deliveryId,
      canonicalId: 'case-r',
      revision: 'case-r-rev1',
    });
    // The router's and the worker's audit messages may sit on different partitions: wait for both.
    const mine = (all: AuditEvent[]) => all.filter((e) => e.deliveryId === deliveryId);
    const events = mine(await auditEvents(topics, (all) => mine(all).length >= 2));
    expect(events.map((e) => [e.actor, e.stage]).sort()).toEqual([
      ['delivery', AuditStages.DELIVERED],
      ['router', AuditStages.ROUTED],
    ]);
  });
});
