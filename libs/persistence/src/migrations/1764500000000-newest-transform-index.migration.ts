import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ingest's order rule asks, once per transaction, for the newest `transformed` event of each canonical
 * record in it (apps/ingest/README.md). With only an index on `canonical_id`, Postgres read every transform of
 * each record ever logged and sorted them: a lookup of 50 records took 3-4 ms when each had one transform,
 * 12 ms at 100 and 35-39 ms at 300 (bench/src/history-lookup.main.ts), so the ingest got slower as the audit
 * log grew. Ordered by the event time as well, the index answers each record with its first entry, whatever its
 * history: 3-4 ms at every depth.
 *
 * The expression is NULL for events without a numeric `detail.eventTimeMs` (written before it existed), so no
 * row can make the index fail. It has the same leading column and predicate as
 * `audit_event_transformed_canonical_idx` of migration 1764200000000, which it replaces. Indexes only.
 */
export class NewestTransformIndex1764500000000 implements MigrationInterface {
  name = 'NewestTransformIndex1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX audit_event_transformed_newest_idx ON audit_event (canonical_id, (${EVENT_TIME_MS}) DESC NULLS LAST) WHERE stage = 'transformed'`,
    );
    await q.query(`DROP INDEX IF EXISTS audit_event_transformed_canonical_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS audit_event_transformed_canonical_idx ON audit_event (canonical_id) WHERE stage = 'transformed'`,
    );
    await q.query(`DROP INDEX IF EXISTS audit_event_transformed_newest_idx`);
  }
}

/**
 * A `transformed` event's source event time in ms (`detail.eventTimeMs`), NULL when it has none. The index
 * and the ingest's query (apps/ingest transform-history.adapter.ts) must spell it exactly alike.
 */
export const EVENT_TIME_MS = `CASE WHEN jsonb_typeof(detail->'eventTimeMs') = 'number' THEN (detail->>'eventTimeMs')::float8 END`;
