import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { HubAppName, HubStack, ensureLocalTokens } from '@hub/launcher';
import { migrate } from '@hub/persistence';
import { TopicNames, cloudEventHeaders } from '@hub/platform';
import {
  collectTopics,
  createSchema,
  newProducer,
  TestSchema,
  testStack,
  TopicCollector,
  uniqueName,
} from '@hub/testing';

const APPS: HubAppName[] = ['audit-writer', 'ingest', 'router'];

interface AuditRow {
  stage: string;
  source_event_id: string | null;
  canonical_id: string | null;
  revision: string | null;
  detail: Record<string, unknown>;
}

/**
 * The delivery rules of issue 6 §2 over the real broker, database and app processes: a source event
 * re-sent with the same ce_id is delivered once (even after an ingest restart, from the audit log), and
 * an older update that arrives after a newer one is superseded. Each is audited; none reaches the DLQ.
 */
describe('a council system re-sends events and sends updates out of order', () => {
  const { brokers, databaseUrl } = testStack();
  const namespace = `${uniqueName('e2e').replace(/[^a-z0-9-]/g, '')}.`;
  const topics = new TopicNames(namespace);
  const canonicalTopic = topics.canonical('finance', 'spend');
  const sscTopic = topics.ssc('finance');
  const dlqTopic = topics.dlq('coventry', 'finance');
  let schema: TestSchema;
  let stack: HubStack;
  let producer: Producer;
  let pool: Pool;
  let seen: TopicCollector;

  beforeAll(async () => {
    schema = await createSchema(databaseUrl, 'e2e_dedup');
    await migrate(databaseUrl, schema.name);
    const dir = mkdtempSync(join(tmpdir(), 'hub-e2e-dedup-'));
    stack = new HubStack({
      brokers,
      databaseUrl,
      namespace,
      schema: schema.name,
      tokensFile: join(dir, 'tokens.json'),
      logDir: join(dir, 'logs'),
      apps: APPS,
    });
    ensureLocalTokens(join(dir, 'tokens.json'));
    // The apps do not depend on each other to start: starting them together saves seconds on every run.
    await Promise.all(APPS.map((app) => stack.startApp(app)));
    pool = new Pool({ connectionString: schema.databaseUrl, max: 2 });
    producer = newProducer(brokers, 'coventry-agresso');
    await producer.connect();
    seen = await collectTopics(brokers, [canonicalTopic, sscTopic, dlqTopic]);
  });

  afterAll(async () => {
    await seen?.stop();
    await producer?.disconnect();
    await pool?.end();
    await Promise.all([...(stack?.processes.values() ?? [])].map((p) => p.stop()));
    await schema?.cleanup();
  });

  /** Coventry's Agresso layout; one voucher is one canonical record. */
  function publish(ceId: string, voucherNo: string, ceTime: string, net = '125.00') {
    return producer.send({
      topic: topics.council('coventry', 'finance'),
      messages: [
        {
          // One key per record: its events stay in one partition, in the order they were sent.
          key: voucherNo,
          value: JSON.stringify({
            voucherNo,
            sequenceNo: '1',
            paymentDate: '2026-11-20',
            amounts: { net },
            supplier: { name: 'Arden Supplies Ltd', id: 'S7' },
          }),
          headers: cloudEventHeaders({
            id: ceId,
            source: '/councils/coventry/agresso',
            type: 'uk.gov.council.finance.spend',
            time: ceTime,
            contentType: 'application/json',
          }),
        },
      ],
    });
  }

  const canonicalFor = (eventId: string) =>
    seen
      .on(canonicalTopic)
      .map(
        (m) =>
          JSON.parse(m.value!.toString()) as {
            id: string;
            revision: string;
            source: { eventId: string };
            data: { netAmountPence: number };
          },
      )
      .filter((r) => r.source.eventId === eventId);
  const deliveredFor = (canonicalId: string) =>
    seen.on(sscTopic).filter((m) => m.key?.toString() === canonicalId);

  /** Sends a marker event on the same record key after the others: once it is canonical, they were all decided. */
  async function settle(voucherNo: string, ceTime: string) {
    const marker = uniqueName('marker');
    await publish(marker, voucherNo, ceTime);
    await seen.until(`marker ${marker}`, () => canonicalFor(marker).length === 1);
  }

  async function auditOf(ceId: string, stage: string, count: number): Promise<AuditRow[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await pool.query<AuditRow>(
        'SELECT stage, source_event_id, canonical_id, revision, detail FROM audit_event WHERE source_event_id = $1 AND stage = $2',
        [ceId, stage],
      );
      if (rows.length >= count || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('delivers a re-sent event once and audits the re-send as a duplicate of the original', async () => {
    const ceId = uniqueName('evt');
    await publish(ceId, 'DUP-1', '2026-11-23T09:00:00Z');
    await seen.until('the original', () => canonicalFor(ceId).length === 1);
    await publish(ceId, 'DUP-1', '2026-11-23T09:00:00Z');
    await settle('DUP-1', '2026-11-23T09:00:00Z');

    const [original] = canonicalFor(ceId);
    expect(canonicalFor(ceId)).toHaveLength(1);
    await seen.until('the original at the SSC', () => deliveredFor(original.id).length >= 1);
    const duplicates = await auditOf(ceId, 'duplicate', 1);
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]).toMatchObject({
      canonical_id: original.id,
      revision: original.revision,
      detail: { duplicateOf: original.revision },
    });
    expect(await auditOf(ceId, 'transformed', 1)).toHaveLength(1);
    console.log(
      `re-send: sent 2, canonical ${canonicalFor(ceId).length}, duplicates ${duplicates.length}, DLQ ${seen.on(dlqTopic).length}`,
    );
  });

  it('supersedes an older update that arrives after a newer one of the same record', async () => {
    const v2 = uniqueName('v2');
    const v1 = uniqueName('v1');
    await publish(v2, 'ORD-1', '2026-11-23T10:05:00Z', '200.00');
    await publish(v1, 'ORD-1', '2026-11-23T10:00:00Z', '100.00');
    await settle('ORD-1', '2026-11-23T10:05:00Z');

    expect(canonicalFor(v2).map((r) => r.data.netAmountPence)).toEqual([20000]);
    expect(canonicalFor(v1)).toEqual([]);
    const [superseded] = await auditOf(v1, 'superseded', 1);
    expect(superseded).toMatchObject({
      canonical_id: canonicalFor(v2)[0].id,
      detail: {
        eventTime: '2026-11-23T10:00:00Z',
        newerEventTime: '2026-11-23T10:05:00Z',
        newerRevision: canonicalFor(v2)[0].revision,
      },
    });
    await seen.until('v2 at the SSC', () => deliveredFor(canonicalFor(v2)[0].id).length >= 1);
  });

  it('still recognises a re-send after an ingest restart, from the audit log', async () => {
    const ceId = uniqueName('evt');
    await publish(ceId, 'DUP-2', '2026-11-23T11:00:00Z');
    await seen.until('the original', () => canonicalFor(ceId).length === 1);
    // The restarted ingest has no memory: the audit writer must have stored the original's `transformed`.
    expect(await auditOf(ceId, 'transformed', 1)).toHaveLength(1);
    await stack.get('ingest').stop();
    await stack.startApp('ingest');

    await publish(ceId, 'DUP-2', '2026-11-23T11:00:00Z');
    await settle('DUP-2', '2026-11-23T11:00:00Z');
    expect(canonicalFor(ceId)).toHaveLength(1);
    const [duplicate] = await auditOf(ceId, 'duplicate', 1);
    expect(duplicate.detail).toMatchObject({ knownFrom: 'audit-log' });
    expect(seen.on(dlqTopic)).toEqual([]);
  });
});
