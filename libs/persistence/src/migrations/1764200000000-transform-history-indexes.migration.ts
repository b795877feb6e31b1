import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the ingest's duplicate and order rules (apps/ingest/README.md): once per batch it asks which
 * of the batch's revisions were already transformed, and the newest transformed event time of each of its
 * canonical records. The general revision and canonical-id indexes hold every stage of a record's story
 * (received, routed, delivered per destination...); these partial ones hold only `transformed` events, so
 * the per-batch query reads one small index range per id. Indexes only: no row is touched.
 */
export class TransformHistoryIndexes1764200000000 implements MigrationInterface {
  name = 'TransformHistoryIndexes1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX audit_event_transformed_revision_idx ON audit_event (revision) WHERE stage = 'transformed'`,
    );
    await q.query(
      `CREATE INDEX audit_event_transformed_canonical_idx ON audit_event (canonical_id) WHERE stage = 'transformed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS audit_event_transformed_revision_idx`);
    await q.query(`DROP INDEX IF EXISTS audit_event_transformed_canonical_idx`);
  }
}
