import Ajv from 'ajv';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { HubStack, ensureLocalTokens, tokenFor } from '@hub/launcher';
import { migrate } from '@hub/persistence';
import { OPENLINEAGE_RUN_EVENT_SCHEMA } from '@hub/audit';
import { CeHeaders, DlqHeaders, TopicNames, cloudEventHeaders } from '@hub/platform';
import { createSchema, newProducer, TestSchema, testStack, uniqueName, waitForMessages } from '@hub/testing';

/**
 * The walking skeleton, end to end over the real broker, database and app processes: Coventry's
 * finance system publishes a spend record; it becomes a canonical record, is routed to the SSC, and an
 * auditor can read its whole story. A broken record goes to the DLQ and the next good one still flows.
 */
describe('a council publishes a spend record and an auditor traces it', () => {
  const { brokers, databaseUrl } = testStack();
  const namespace = `${uniqueName('e2e').replace(/[^a-z0-9-]/g, '')}.`;
  const topics = new TopicNames(namespace);
  let schema: TestSchema;
  let stack: HubStack;
  let producer: Producer;
  let auditorToken: string;
  let lineageFile: string;
  let solihullToken: string;

  beforeAll(async () => {
    schema = await createSchema(databaseUrl, 'e2e');
    await migrate(databaseUrl, schema.name);
    const dir = mkdtempSync(join(tmpdir(), 'hub-e2e-'));
    lineageFile = join(dir, 'openlineage.jsonl');
    const tokens = ensureLocalTokens(join(dir, 'tokens.json'));
    auditorToken = tokenFor(tokens, 'auditor');
    solihullToken = tokenFor(tokens, 'council:solihull');
    stack = new HubStack({
      brokers,
      databaseUrl,
      namespace,
      schema: schema.name,
      tokensFile: join(dir, 'tokens.json'),
      logDir: join(dir, 'logs'),
      apps: ['audit-writer', 'ingest', 'router', 'console'],
      appEnv: { 'audit-writer': { OPENLINEAGE_FILE: lineageFile, OPENLINEAGE_FLUSH_MS: '500' } },
    });
    await stack.start();
    producer = newProducer(brokers, 'coventry-agresso');
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack?.stop();
    await schema?.cleanup();
  });

  function publish(id: string, value: string) {
    return producer.send({
      topic: topics.council('coventry', 'finance'),
      messages: [
        {
          key: 'PT348115,1',
          value,
          headers: cloudEventHeaders({
            id,
            source: '/councils/coventry/agresso',
            type: 'uk.gov.council.finance.spend',
            time: '2026-11-23T09:30:00Z',
            contentType: 'application/json',
          }),
        },
      ],
    });
  }

  /** Coventry's Agresso layout (libs/domains/finance/mappings/coventry-spend-json.json). */
  const spend = (voucherNo: string) => ({
    voucherNo,
    sequenceNo: '1',
    paymentDate: '2026-11-20',
    amounts: { net: '£1,234.56', irrecoverableVat: '0.00' },
    supplier: { name: 'Midland Office Supplies Ltd', id: 'S1001' },
    directorate: 'Resources',
    account: { code: 'R4513', name: 'Stationery' },
    description: 'Stationery for the customer service centre',
  });

  async function lineage(id: string, token: string) {
    return fetch(`${stack.url('console')}/api/lineage/${encodeURIComponent(id)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  }

  it('carries the record from the council topic to the SSC with a full audit trail', async () => {
    const ceId = uniqueName('ce');
    await publish(ceId, JSON.stringify(spend('PT348115')));

    const [canonical] = await waitForMessages(brokers, topics.canonical('finance', 'spend'), 1, {
      timeoutMs: 60_000,
    });
    const record = JSON.parse(canonical.value!.toString());
    expect(record).toMatchObject({
      schema: 'hub.finance.spend.v1',
      operation: 'upsert',
      council: { slug: 'coventry', gss: 'E08000026' },
      source: {
        system: 'agresso',
        recordId: 'PT348115,1',
        eventId: ceId,
        topic: topics.council('coventry', 'finance'),
      },
      data: { transactionRef: 'PT348115,1', paymentDate: '2026-11-20', netAmountPence: 123456 },
    });

    const [delivered] = await waitForMessages(brokers, topics.ssc('finance'), 1, { timeoutMs: 60_000 });
    expect(JSON.parse(delivered.value!.toString()).id).toBe(record.id);
    expect(delivered.key!.toString()).toBe(record.id);

    // The audit writer is asynchronous: poll until all four stages are in Postgres.
    let story:
      { sources: Array<{ events: Array<{ stage: string; detail: Record<string, unknown> }> }> } | undefined;
    for (let i = 0; i < 60; i++) {
      const response = await lineage(ceId, auditorToken);
      if (response.status === 200) {
        story = (await response.json()) as typeof story;
        const stages = story!.sources[0].events.map((e) => e.stage);
        if (['received', 'transformed', 'routed', 'delivered'].every((s) => stages.includes(s))) break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const events = story!.sources[0].events;
    expect(events.map((e) => e.stage)).toEqual(
      expect.arrayContaining(['received', 'transformed', 'routed', 'delivered']),
    );
    const received = events.find((e) => e.stage === 'received')!;
    expect(received.detail).toMatchObject({
      topic: topics.council('coventry', 'finance'),
      partition: expect.any(Number),
      offset: expect.any(String),
    });
    expect(received.detail.payloadSha256).toMatch(/^[0-9a-f]{64}$/);

    // The canonical id and the delivery id lead to the same story.
    expect((await lineage(record.id, auditorToken)).status).toBe(200);
    // Another council's token cannot see Coventry's records.
    expect((await lineage(ceId, solihullToken)).status).toBe(404);
    // Lineage tools see the flow: OpenLineage run events for the feed's ingest and the entity's routing.
    for (
      let i = 0;
      i < 40 &&
      !(existsSync(lineageFile) && readFileSync(lineageFile, 'utf8').includes('route.finance.spend'));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const runEvents = readFileSync(lineageFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const validate = new Ajv({ format: 'full' }).compile(OPENLINEAGE_RUN_EVENT_SCHEMA);
    expect(runEvents.filter((e) => !validate(e))).toEqual([]);
    expect(runEvents.map((e) => e.job.name)).toEqual(
      expect.arrayContaining(['ingest.coventry.finance', 'route.finance.spend']),
    );

    // No token, no answer; the error is JSON, never a stack trace.
    const anonymous = await fetch(`${stack.url('console')}/api/lineage/${ceId}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: { code: 'AUTH.UNAUTHENTICATED', message: expect.any(String) },
    });
  });

  it('sends invalid JSON to the DLQ with the CONTRACT headers and keeps the next good record flowing', async () => {
    const badId = uniqueName('bad');
    const goodId = uniqueName('good');
    await publish(badId, '{"voucherNo": "PT1", ');
    await publish(goodId, JSON.stringify(spend('PT348116')));

    const [dead] = await waitForMessages(brokers, topics.dlq('coventry', 'finance'), 1, {
      timeoutMs: 60_000,
    });
    expect(dead.value!.toString()).toBe('{"voucherNo": "PT1", ');
    expect(dead.headers).toMatchObject({
      [CeHeaders.id]: badId,
      [DlqHeaders.code]: 'SOURCE.PARSE_ERROR',
      [DlqHeaders.stage]: 'parse',
      [DlqHeaders.sourceTopic]: topics.council('coventry', 'finance'),
      [DlqHeaders.sourcePartition]: expect.stringMatching(/^\d+$/),
      [DlqHeaders.sourceOffset]: expect.stringMatching(/^\d+$/),
      [DlqHeaders.failedAt]: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(dead.headers[DlqHeaders.reason].length).toBeGreaterThan(10);

    const canonical = await waitForMessages(brokers, topics.canonical('finance', 'spend'), 2, {
      timeoutMs: 60_000,
    });
    expect(canonical.map((m) => JSON.parse(m.value!.toString()).source.eventId)).toContain(goodId);
  });
});
