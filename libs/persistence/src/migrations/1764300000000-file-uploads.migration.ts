import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * File exports received through the files API: one row per distinct file (by content hash per feed),
 * so an export uploaded twice is recognised and not split into records again. Holds counts and
 * names only, never row content.
 */
export class FileUploads1764300000000 implements MigrationInterface {
  name = 'FileUploads1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE file_upload (
        id              text        PRIMARY KEY,
        council         text        NOT NULL,
        domain          text        NOT NULL,
        sha256          text        NOT NULL,
        file_name       text        NOT NULL,
        format          text        NOT NULL,
        encoding        text        NOT NULL,
        size_bytes      bigint      NOT NULL,
        mapping_id      text        NOT NULL,
        mapping_version integer     NOT NULL,
        rows_total      integer     NOT NULL,
        rows_accepted   integer     NOT NULL,
        rows_rejected   integer     NOT NULL,
        report          jsonb       NOT NULL,
        uploaded_by     text        NOT NULL,
        received_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (council, domain, sha256)
      )`);
    await q.query(`CREATE INDEX file_upload_feed_time_idx ON file_upload (council, domain, received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE file_upload`);
  }
}
