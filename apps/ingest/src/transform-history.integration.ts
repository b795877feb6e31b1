import type { Pool } from 'pg';
import { AuditEvent, AuditLogWriter, AuditStages, auditEventId, encodeAuditBatch } from '@hub/audit';
import { createPgPool, migrate } from '@hub/persistence';
import { TestSchema, createSchema, testStack } from '@hub/testing';
import { AuditLogTransformHistory } from './transform-history.adapter';

function event(stage: AuditEvent['stage'], n: number, canonicalId: string, eventTime?: string): AuditEvent {
  return {
    eventId: auditEventId(stage, `history-${n}`),
    stage,
    occurredAt: '2026-11-23T12:00:00.000Z',
    actor: 'ingest',
    council: 'coventry',
    domain: 'finance',
    sourceEventId: `ce-${n}`,
    canonicalId,
    revision: `rev-${n}`,
    detail: eventTime ? { eventTime, eventTimeMs: Date.parse(eventTime) } : {},
  };
}

/** A `rejected` event as the ingest writes it: the source event's revision and the payload's hash. */
function rejection(
  n: number,
  revision: string | undefined,
  sha: string | undefined,
  occurredAt: string,
): AuditEvent {
  return {
    eventId: auditEventId(AuditStages.REJECTED, `history-${n}`),
    stage: AuditStages.REJECTED,
    occurredAt,
    actor: 'ingest',
    council: 'coventry',
    domain: 'finance',
    sourceEventId: `ce-${n}`,
    revision,
    code: `CODE.${n}`,
    detail: sha ? { reason: 'refused', payloadSha256: sha } : { reason: 'refused' },
  };
}

/** The ingest's one query per batch against the real audit log, as the audit writer stores it. */
describe('AuditLogTransformHistory (real database)', () => {
  let schema: TestSchema;
  let pool: Pool;

  beforeAll(async () => {
    const { databaseUrl } = testStack();
    schema = await createSchema(databaseUrl, 'ingest_history');
    await migrate(databaseUrl, schema.name);
    pool = createPgPool(databaseUrl, schema.name, 2);
    const events = [
      event(AuditStages.TRANSFORMED, 1, 'rec-a', '2026-11-23T10:00:00Z'),
      event(AuditStages.TRANSFORMED, 2, 'rec-a', '2026-11-23T11:30:00+01:00'), // 10:30Z: the newest of rec-a
      event(AuditStages.TRANSFORMED, 3, 'rec-a', '2026-11-23T10:15:00Z'),
      event(AuditStages.ROUTED, 4, 'rec-b', '2026-11-23T12:00:00Z'), // not a transform: ignored
      event(AuditStages.TRANSFORMED, 5, 'rec-c'), // written before eventTimeMs existed: no order, still a duplicate
      rejection(10, 'rev-10', 'sha-a', '2026-11-23T09:00:00.000Z'), // the original dead letter of rev-10/sha-a
      rejection(11, 'rev-10', 'sha-a', '2026-11-23T09:30:00.000Z'), // a replay of it refused again: not the original
      rejection(12, 'rev-10', 'sha-b', '2026-11-23T09:10:00.000Z'), // a correction, refused too
      rejection(13, 'rev-13', undefined, '2026-11-23T09:00:00.000Z'), // written before rejections had a payload hash
      rejection(14, undefined, 'sha-c', '2026-11-23T09:00:00.000Z'), // refused before it had an identity
      rejection(15, 'rev-15', 'sha-d', '2026-11-23T09:00:00.000Z'), // not asked about
      { ...event(AuditStages.RECEIVED, 16, 'rec-d'), revision: 'rev-16', detail: { payloadSha256: 'sha-e' } },
      // An event time that is not a number must neither break the index's expression nor count as newest.
      { ...event(AuditStages.TRANSFORMED, 17, 'rec-a'), detail: { eventTime: 'soon', eventTimeMs: 'soon' } },
      // A record transformed 40 times, its newest in the middle of the log.
      ...Array.from({ length: 40 }, (_, i) =>
        event(
          AuditStages.TRANSFORMED,
          100 + i,
          'rec-long',
          new Date(Date.parse('2026-11-01T00:00:00Z') + (i === 17 ? 10_000 : i) * 60_000).toISOString(),
        ),
      ),
    ];
    await new AuditLogWriter(pool).writeBatch(0, [
      { offset: '0', value: Buffer.from(encodeAuditBatch(events)) },
    ]);
  });

  afterAll(async () => {
    await pool?.end();
    await schema?.cleanup();
  });

  it('finds transformed revisions and the newest event time per canonical record in one query', async () => {
    const found = await new AuditLogTransformHistory(pool).find(
      ['rev-1', 'rev-4', 'rev-5', 'rev-9'],
      ['rec-a', 'rec-b', 'rec-c'],
    );
    expect(Object.fromEntries(found.revisions)).toEqual({ 'rev-1': 'rec-a', 'rev-5': 'rec-c' });
    expect(found.rejections.size).toBe(0);
    expect(Object.fromEntries(found.newest)).toEqual({
      'rec-a': {
        revision: 'rev-2',
        eventTime: '2026-11-23T11:30:00+01:00',
        eventTimeMs: Date.parse('2026-11-23T10:30:00Z'),
      },
    });
  });

  it('finds the newest transform of a record with a long history (one index probe: migration 1764500000000)', async () => {
    const found = await new AuditLogTransformHistory(pool).find([], ['rec-long', 'rec-a']);
    expect(found.newest.get('rec-long')).toEqual({
      revision: 'rev-117',
      eventTime: new Date(Date.parse('2026-11-01T00:00:00Z') + 10_000 * 60_000).toISOString(),
      eventTimeMs: Date.parse('2026-11-01T00:00:00Z') + 10_000 * 60_000,
    });
    expect(found.newest.get('rec-a')?.revision).toBe('rev-2');
    const { rows } = await pool.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = 'audit_event' AND indexname LIKE 'audit_event_transformed_%'`,
    );
    // Replaced, not added beside: the newest-first index has the same leading column and predicate.
    expect(rows.map((r) => r.indexname).sort()).toEqual([
      'audit_event_transformed_newest_idx',
      'audit_event_transformed_revision_idx',
    ]);
    expect(rows.find((r) => r.indexname === 'audit_event_transformed_newest_idx')!.indexdef).toContain(
      "DESC NULLS LAST) WHERE (stage = 'transformed'::text)",
    );
  });

  it('finds the first rejection per revision and payload hash, in the same query', async () => {
    const found = await new AuditLogTransformHistory(pool).find(['rev-10', 'rev-13', 'rev-16', 'rev-1'], []);
    const byPayload = (found.rejections.get('rev-10') ?? [])
      .slice()
      .sort((a, b) => a.payloadSha256.localeCompare(b.payloadSha256));
    expect(byPayload).toEqual([
      {
        revision: 'rev-10',
        payloadSha256: 'sha-a',
        code: 'CODE.10',
        eventId: auditEventId(AuditStages.REJECTED, 'history-10'),
      },
      {
        revision: 'rev-10',
        payloadSha256: 'sha-b',
        code: 'CODE.12',
        eventId: auditEventId(AuditStages.REJECTED, 'history-12'),
      },
    ]);
    expect([...found.rejections.keys()]).toEqual(['rev-10']);
    expect(Object.fromEntries(found.revisions)).toEqual({ 'rev-1': 'rec-a' });
  });

  it('has the partial index of rejections the query reads (migration 1764400000000, registered in MIGRATIONS)', async () => {
    const { rows } = await pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'audit_event_rejected_revision_idx'`,
    );
    expect(rows.map((r) => r.indexdef)).toEqual([
      expect.stringContaining("WHERE (stage = 'rejected'::text)"),
    ]);
  });

  it('answers an empty batch without a round trip', async () => {
    const found = await new AuditLogTransformHistory(pool).find([], []);
    expect(found.revisions.size + found.newest.size).toBe(0);
  });
});
