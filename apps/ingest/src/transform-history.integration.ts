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
    expect(Object.fromEntries(found.newest)).toEqual({
      'rec-a': {
        revision: 'rev-2',
        eventTime: '2026-11-23T11:30:00+01:00',
        eventTimeMs: Date.parse('2026-11-23T10:30:00Z'),
      },
    });
  });

  it('answers an empty batch without a round trip', async () => {
    const found = await new AuditLogTransformHistory(pool).find([], []);
    expect(found.revisions.size + found.newest.size).toBe(0);
  });
});
