import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE, for every role that has
 * not disabled triggers, i.e. everyone but a superuser doing so on purpose), partitioned by month of
 * `recorded_at`, hash-chained per chain (= partition of the hub.audit.v1 topic, see libs/audit).
 */
export class AuditLog1764000000000 implements MigrationInterface {
  name = 'AuditLog1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        chain            integer     NOT NULL,
        seq              bigint      NOT NULL,
        event_id         text        NOT NULL,
        stage            text        NOT NULL,
        occurred_at      timestamptz NOT NULL,
        recorded_at      timestamptz NOT NULL,
        actor            text        NOT NULL,
        council          text,
        domain           text,
        entity           text,
        source_event_id  text,
        canonical_id     text,
        revision         text,
        delivery_id      text,
        file_id          text,
        code             text,
        detail           jsonb       NOT NULL,
        prev_hash        bytea       NOT NULL,
        hash             bytea       NOT NULL,
        PRIMARY KEY (chain, seq, recorded_at)
      ) PARTITION BY RANGE (recorded_at)`);
    // Rows land here only if the writer has not yet created the month's partition; never expected.
    await q.query(`CREATE TABLE audit_event_default PARTITION OF audit_event DEFAULT`);
    await q.query(
      `CREATE INDEX audit_event_source_event_idx ON audit_event (source_event_id) WHERE source_event_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX audit_event_canonical_idx ON audit_event (canonical_id) WHERE canonical_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX audit_event_revision_idx ON audit_event (revision) WHERE revision IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX audit_event_delivery_idx ON audit_event (delivery_id) WHERE delivery_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX audit_event_file_idx ON audit_event (file_id) WHERE file_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_event_feed_time_idx ON audit_event (council, domain, recorded_at)`);
    await q.query(`CREATE INDEX audit_event_stage_time_idx ON audit_event (stage, recorded_at)`);
    await q.query(`CREATE INDEX audit_event_time_idx ON audit_event (recorded_at, chain, seq)`);

    await q.query(`
      CREATE TABLE audit_chain_head (
        chain        integer     PRIMARY KEY,
        last_offset  bigint      NOT NULL,
        last_seq     bigint      NOT NULL,
        last_hash    bytea       NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
    // Creates the month's partition if missing; the writer calls it before writing into a new month.
    await q.query(`
      CREATE FUNCTION ensure_audit_partition(month_start date) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        part text := format('audit_event_%s', to_char(month_start, 'YYYY_MM'));
      BEGIN
        IF to_regclass(part) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)',
                         part, month_start, (month_start + interval '1 month')::date);
        END IF;
      END $$`);
    await q.query(`SELECT ensure_audit_partition(date_trunc('month', now())::date)`);
    await q.query(`SELECT ensure_audit_partition((date_trunc('month', now()) + interval '1 month')::date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP TABLE audit_chain_head`);
    await q.query(`DROP FUNCTION audit_event_append_only()`);
    await q.query(`DROP FUNCTION ensure_audit_partition(date)`);
  }
}
