import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the operations view (console `/api/feeds`, `/api/destinations`, `/api/dlq`, replay), so
 * the dashboard's polling reads index ranges instead of scanning the audit log. Indexes only: the audit
 * table stays append-only and no row is touched. Partial indexes keep each one to the stage it serves.
 */
export class FeedHealthIndexes1764100000000 implements MigrationInterface {
  name = 'FeedHealthIndexes1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // A feed's latest record and its received counts per window.
    await q.query(
      `CREATE INDEX audit_event_received_feed_idx ON audit_event (council, domain, recorded_at) WHERE stage = 'received'`,
    );
    // Rejections per feed (DLQ depth, error rate, the DLQ list filtered by council and domain).
    await q.query(
      `CREATE INDEX audit_event_rejected_feed_idx ON audit_event (council, domain, recorded_at) WHERE stage = 'rejected'`,
    );
    // The latest N outcomes of a feed ("error rate of the last 50").
    await q.query(
      `CREATE INDEX audit_event_outcome_feed_idx ON audit_event (council, domain, recorded_at) WHERE stage IN ('transformed', 'rejected', 'duplicate')`,
    );
    // Replay by rejection ids (event_id is otherwise unindexed).
    await q.query(
      `CREATE INDEX audit_event_rejected_id_idx ON audit_event (event_id) WHERE stage = 'rejected'`,
    );
    // Has this dead letter (DLQ coordinates) been replayed? `replayed` events and the replayed record's `received` event.
    await q.query(
      `CREATE INDEX audit_event_replay_of_idx ON audit_event ((detail->>'replayOf')) WHERE (detail->>'replayOf') IS NOT NULL`,
    );
    // Has this rejection been replayed? (by the rejection's audit event id)
    await q.query(
      `CREATE INDEX audit_event_replay_original_idx ON audit_event ((detail->>'originalEventId')) WHERE stage = 'replayed'`,
    );
    // Per-destination delivery counts, last success and latency.
    await q.query(
      `CREATE INDEX audit_event_delivery_dest_idx ON audit_event ((detail->>'destination'), stage, recorded_at) WHERE stage IN ('delivered', 'delivery_failed')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      'audit_event_received_feed_idx',
      'audit_event_rejected_feed_idx',
      'audit_event_outcome_feed_idx',
      'audit_event_rejected_id_idx',
      'audit_event_replay_of_idx',
      'audit_event_replay_original_idx',
      'audit_event_delivery_dest_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${name}`);
    }
  }
}
