import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Index for the ingest's duplicate rule on rejected events (apps/ingest/README.md): once per batch it also
 * asks how the batch's revisions were rejected, so that an identical re-send of a rejected event is a
 * duplicate rather than a second dead letter. Like the partial indexes of migration 1764200000000, it holds
 * only the one stage the query reads (`rejected`), not every stage of a record's story. `rejected` events
 * carry a revision only from this change on; older ones have none and are not in the index. Index only: no
 * row is touched.
 */
export class RejectionHistoryIndex1764400000000 implements MigrationInterface {
  name = 'RejectionHistoryIndex1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX audit_event_rejected_revision_idx ON audit_event (revision) WHERE stage = 'rejected'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS audit_event_rejected_revision_idx`);
  }
}
