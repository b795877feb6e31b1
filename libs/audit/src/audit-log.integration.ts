import type { Pool } from 'pg';
import { createPgPool, migrate } from '@hub/persistence';
import { createSchema, testStack, TestSchema } from '@hub/testing';
import { encodeAuditBatch } from './audit-batch.message';
import { AuditEvent, AuditStages, auditEventId } from './audit-event';
import { AuditLogWriter } from './audit-log.writer';
import { verifyAuditLog } from './audit-log.verifier';
import { findLineage, listAuditEvents } from './audit.queries';

function events(n: number, from: number): AuditEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: auditEventId(AuditStages.RECEIVED, `ev-${from + i}`),
    stage: AuditStages.RECEIVED,
    occurredAt: new Date(Date.UTC(2026, 10, 23, 10, 0, from + i)).toISOString(),
    actor: 'ingest',
    council: from + i === 2 ? 'solihull' : 'coventry',
    domain: 'finance',
    sourceEventId: `ce-${from + i}`,
    detail: {
      topic: 'council.coventry.finance',
      partition: 0,
      offset: String(from + i),
      note: 'tab\there "quoted"\nnew line \\ slash',
    },
  }));
}

describe('audit log in PostgreSQL (real database)', () => {
  let schema: TestSchema;
  let pool: Pool;
  let writer: AuditLogWriter;

  beforeAll(async () => {
    const { databaseUrl } = testStack();
    schema = await createSchema(databaseUrl, 'audit');
    await migrate(databaseUrl, schema.name);
    pool = createPgPool(databaseUrl, schema.name, 2);
    writer = new AuditLogWriter(pool);
    // Three Kafka messages on chain 0 carrying 2 + 2 + 1 events.
    const written = await writer.writeBatch(0, [
      { offset: '0', value: Buffer.from(encodeAuditBatch(events(2, 0))) },
      { offset: '1', value: Buffer.from(encodeAuditBatch(events(2, 2))) },
      { offset: '2', value: Buffer.from(encodeAuditBatch(events(1, 4))) },
    ]);
    expect(written).toHaveLength(5);
  });

  afterAll(async () => {
    await pool.end();
    await schema.cleanup();
  });

  it('stores a re-delivered batch once (the chain head remembers the Kafka offset)', async () => {
    const again = await writer.writeBatch(0, [
      { offset: '1', value: Buffer.from(encodeAuditBatch(events(2, 2))) },
      { offset: '2', value: Buffer.from(encodeAuditBatch(events(1, 4))) },
      { offset: '3', value: Buffer.from(encodeAuditBatch(events(1, 5))) },
    ]);
    expect(again.map((e) => e.sourceEventId)).toEqual(['ce-5']);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_event');
    expect(rows[0].n).toBe('6');
    const report = await verifyAuditLog(pool);
    expect(report).toMatchObject({ ok: true, chains: 1, eventsChecked: 6 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE from the application', async () => {
    await expect(pool.query(`UPDATE audit_event SET stage = 'x'`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
  });

  it('finds lineage by source event id, filters and paginates events, scoped by council', async () => {
    const lineage = await findLineage(pool, 'ce-3');
    expect(lineage?.sources[0].events.map((e) => e.sourceEventId)).toEqual(['ce-3']);
    expect(await findLineage(pool, 'ce-2', 'coventry')).toBeUndefined();
    const first = await listAuditEvents(pool, { council: 'coventry', limit: 3 });
    expect(first.events).toHaveLength(3);
    const second = await listAuditEvents(pool, { council: 'coventry', limit: 3, cursor: first.nextCursor! });
    expect(second.events.map((e) => e.sourceEventId)).toEqual(['ce-4', 'ce-5']);
    expect(second.nextCursor).toBeNull();
  });

  it('names exactly the row a superuser altered, and a deleted row', async () => {
    const client = await pool.connect();
    try {
      // Triggers are bypassed only by a superuser who sets this on purpose: the tamper we must detect.
      await client.query(`SET session_replication_role = replica`);
      await client.query(
        `UPDATE audit_event SET detail = jsonb_set(detail, '{offset}', '"999"') WHERE chain = 0 AND seq = 4`,
      );
      const altered = await verifyAuditLog(pool);
      expect(altered.ok).toBe(false);
      expect(altered.firstBreak).toMatchObject({ chain: 0, seq: '4', reason: 'hash_mismatch' });
      const { rows } = await client.query<{ event_id: string }>(
        `SELECT event_id FROM audit_event WHERE chain = 0 AND seq = 4`,
      );
      expect(altered.firstBreak?.eventId).toBe(rows[0].event_id);

      await client.query(`DELETE FROM audit_event WHERE chain = 0 AND seq = 2`);
      const deleted = await verifyAuditLog(pool);
      expect(deleted.firstBreak).toMatchObject({ chain: 0, seq: '3', reason: 'sequence_gap' });
    } finally {
      await client.query(`SET session_replication_role = origin`);
      client.release();
    }
  });
});
