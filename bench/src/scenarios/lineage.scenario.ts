import type { PoolClient } from 'pg';
import { findLineage } from '@hub/audit';
import { createPgPool, migrate } from '@hub/persistence';
import { percentile, round } from '../measure/throughput-series.builder';
import type { LineageResult } from '../report/bench-results.model';
import type { BenchContext } from './bench-context.types';

const MONTHS = 12;
const LOAD_WORKERS = 2;
const WARM_UP_LOOKUPS = 20;
/** Rows per audit event story: received, transformed, routed, delivered. */
const ROWS_PER_EVENT = 4;
/** Source events per file id (one in 20 events came from a file export). */
const EVENTS_PER_FILE_BLOCK = 4_000;

const KINDS = [
  { kind: 'source_event_id', share: 0.4 },
  { kind: 'canonical_id', share: 0.2 },
  { kind: 'revision', share: 0.15 },
  { kind: 'delivery_id', share: 0.15 },
  { kind: 'file_id', share: 0.1 },
] as const;

/** The first (matching) query of findLineage (libs/audit/src/audit.queries.ts), copied here only to EXPLAIN it. */
const MATCH_SQL = `SELECT DISTINCT source_event_id, revision,
    CASE WHEN source_event_id = $1 THEN 'source_event_id' WHEN canonical_id = $1 THEN 'canonical_id'
         WHEN revision = $1 THEN 'revision' WHEN delivery_id = $1 THEN 'delivery_id' ELSE 'file_id' END AS matched
  FROM audit_event
 WHERE (source_event_id = $1 OR canonical_id = $1 OR revision = $1 OR delivery_id = $1 OR file_id = $1)
   AND ($2::text IS NULL OR council = $2)
 LIMIT 500`;

/**
 * The rows, generated inside Postgres. Event n has rows 4n..4n+3 (received, transformed, routed,
 * delivered) with the identifiers the hub writes: source event id on all, canonical id (two revisions per
 * record) and revision from transformed on, delivery id on routed/delivered, a file id on one event in 20.
 * Ids are uuid/hex-shaped but derived cheaply from n (a B-tree lookup costs the same for any values);
 * hashes are any 32 bytes (this is a read benchmark). $1/$2: row range, $3: month start, $4: ms per row.
 */
function insertSql(table: string): string {
  return `INSERT INTO ${table} (chain, seq, event_id, stage, occurred_at, recorded_at, actor, council, domain, entity,
      source_event_id, canonical_id, revision, delivery_id, file_id, code, detail, prev_hash, hash)
    SELECT (g.i % 3)::int, g.i, lpad(to_hex(g.i), 32, '0'),
      (ARRAY['received','transformed','routed','delivered'])[(g.i % 4) + 1],
      t.ts - interval '40 milliseconds', t.ts,
      CASE WHEN g.i % 4 < 2 THEN 'ingest' ELSE 'router' END,
      (ARRAY['coventry','solihull','warwickshire'])[((g.i / 4) % 3) + 1], 'finance',
      CASE WHEN g.i % 4 = 0 THEN NULL ELSE 'finance.spend' END,
      'lin-' || (g.i / 4),
      CASE WHEN g.i % 4 = 0 THEN NULL ELSE '00000000-0000-5000-8000-' || lpad(to_hex(g.i / 8), 12, '0') END,
      CASE WHEN g.i % 4 = 0 THEN NULL ELSE 'ffffffff-0000-5000-8000-' || lpad(to_hex(g.i / 4), 12, '0') END,
      CASE WHEN g.i % 4 >= 2 THEN 'd' || lpad(to_hex(g.i / 4), 31, '0') END,
      CASE WHEN (g.i / 4) % 20 = 0 THEN 'file-' || (g.i / 4 / ${EVENTS_PER_FILE_BLOCK}) END,
      NULL,
      jsonb_build_object('topic', 'council.coventry.finance', 'partition', g.i % 3, 'offset', (g.i / 4)::text,
                         'payloadSha256', lpad(to_hex(g.i * 7919), 64, '0'), 'sizeBytes', 600 + g.i % 400),
      decode(lpad(to_hex(g.i - 1), 64, '0'), 'hex'), decode(lpad(to_hex(g.i), 64, '0'), 'hex')
    FROM generate_series($1::bigint, $2::bigint - 1) AS g(i)
    CROSS JOIN LATERAL (SELECT $3::timestamptz + ((g.i - $1) * $4::float8) * interval '1 millisecond' AS ts) t`;
}

/** One random id of a kind that exists among `events` events (the same derivations as {@link insertSql}). */
function randomId(kind: (typeof KINDS)[number]['kind'], events: number): string {
  const n = Math.floor(Math.random() * events);
  const hex = (v: number, width: number) => v.toString(16).padStart(width, '0');
  switch (kind) {
    case 'source_event_id':
      return `lin-${n}`;
    case 'canonical_id':
      return `00000000-0000-5000-8000-${hex(Math.floor(n / 2), 12)}`;
    case 'revision':
      return `ffffffff-0000-5000-8000-${hex(n, 12)}`;
    case 'delivery_id':
      return `d${hex(n, 31)}`;
    case 'file_id':
      return `file-${Math.floor(n / EVENTS_PER_FILE_BLOCK)}`;
  }
}

/**
 * Lineage lookup at scale: `--lineage-rows` audit rows (default 10 million) in the migrated audit_event
 * table of a dedicated schema, over 12 monthly partitions as the writer lays them out. Each month is
 * filled with one INSERT ... SELECT generate_series into a plain table, indexed (the parent's own index
 * definitions), then attached as a partition: much faster than inserting through eight live indexes.
 * Then `findLineage` (the console's query) is timed for random ids of every kind.
 */
export async function runLineage(ctx: BenchContext): Promise<LineageResult> {
  const rows = Math.floor(ctx.options.lineageRows / ROWS_PER_EVENT) * ROWS_PER_EVENT;
  const schema = ctx.options.keepLineage ? `bench_lineage_${rows}` : `bench_${ctx.runId}_lineage`;
  if (!ctx.options.keepLineage) ctx.schemas.push(schema);
  const events = rows / ROWS_PER_EVENT;
  let reused = false;
  let loadSeconds: number | undefined;
  let indexSeconds: number | undefined;

  const existing = await ctx.pool
    .query<{ rows: string }>(`SELECT rows FROM "${schema}".bench_lineage_meta`)
    .then((r) => Number(r.rows[0]?.rows ?? -1))
    .catch(() => -1);
  if (existing === rows) {
    reused = true;
    ctx.log(`lineage: reusing ${rows} rows in schema ${schema} (--keep-lineage)`);
  } else {
    await ctx.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await migrate(ctx.infra.databaseUrl, schema);
    ctx.log(
      `lineage: generating ${rows.toLocaleString('en-GB')} audit rows in ${MONTHS} monthly partitions (schema ${schema})...`,
    );
    const timing = await loadMonths(ctx, schema, rows);
    loadSeconds = timing.loadSeconds;
    indexSeconds = timing.indexSeconds;
    await ctx.pool.query(`ANALYZE "${schema}".audit_event`);
    // Unlogged like the rows: a crash empties both, so a reuse never trusts rows that are gone.
    await ctx.pool.query(`CREATE UNLOGGED TABLE "${schema}".bench_lineage_meta (rows bigint NOT NULL)`);
    await ctx.pool.query(`INSERT INTO "${schema}".bench_lineage_meta VALUES ($1)`, [rows]);
    ctx.log(
      `lineage: loaded in ${round(loadSeconds, 1)} s (of which about ${round(indexSeconds, 1)} s indexing and attaching)`,
    );
  }
  const { rows: size } = await ctx.pool.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) AS bytes FROM pg_inherits WHERE inhparent = '"${schema}".audit_event'::regclass`,
  );

  const pool = createPgPool(ctx.infra.databaseUrl, schema, 1);

  pool.on('error', () => undefined);
  try {
    const timings: Array<{ kind: string; ms: number }> = [];
    const total = ctx.options.lineageLookups + WARM_UP_LOOKUPS;
    for (let i = 0; i < total; i++) {
      const r = Math.random();
      let acc = 0;
      const kind = KINDS.find((k) => r < (acc += k.share))?.kind ?? 'source_event_id';
      const id = randomId(kind, events);
      const started = process.hrtime.bigint();
      const lineage = await findLineage(pool, id);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!lineage)
        throw new Error(`lineage: ${kind} ${id} was not found; the generated rows and the ids disagree`);
      if (i >= WARM_UP_LOOKUPS) timings.push({ kind, ms });
    }
    const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
    // The headline is a record's lineage; a file id's lineage is hundreds of stories, reported on its own.
    const all = sorted(timings.filter((t) => t.kind !== 'file_id').map((t) => t.ms));
    const byKind: LineageResult['byKind'] = {};
    for (const { kind } of KINDS) {
      const list = sorted(timings.filter((t) => t.kind === kind).map((t) => t.ms));
      if (list.length > 0)
        byKind[kind] = {
          p50Ms: round(percentile(list, 50), 2),
          p95Ms: round(percentile(list, 95), 2),
          lookups: list.length,
        };
    }
    const plans: LineageResult['plans'] = [];
    for (const { kind } of KINDS) {
      const { rows: plan } = await pool.query<{
        'QUERY PLAN': Array<{ 'Planning Time': number; 'Execution Time': number }>;
      }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${MATCH_SQL}`, [randomId(kind, events), null]);
      const p = plan[0]!['QUERY PLAN'][0]!;
      plans.push({
        kind,
        planningMs: round(p['Planning Time'], 2),
        executionMs: round(p['Execution Time'], 2),
      });
    }
    const result: LineageResult = {
      rows,
      plans,
      months: MONTHS,
      reused,
      loadSeconds: loadSeconds === undefined ? undefined : round(loadSeconds, 1),
      indexSeconds: indexSeconds === undefined ? undefined : round(indexSeconds, 1),
      tableSizeGb: round(Number(size[0]!.bytes) / 1024 ** 3, 2),
      lookups: all.length,
      p50Ms: round(percentile(all, 50), 2),
      p95Ms: round(percentile(all, 95), 2),
      p99Ms: round(percentile(all, 99), 2),
      maxMs: round(all[all.length - 1] ?? Number.NaN, 2),
      byKind,
    };
    ctx.log(
      `lineage: record ids p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms over ${all.length} lookups at ${rows.toLocaleString('en-GB')} rows; file ids p95 ${byKind.file_id?.p95Ms ?? '-'} ms`,
    );
    return result;
  } finally {
    await pool.end();
  }
}

async function loadMonths(
  ctx: BenchContext,
  schema: string,
  rows: number,
): Promise<{ loadSeconds: number; indexSeconds: number }> {
  const perMonth = Math.ceil(rows / MONTHS / ROWS_PER_EVENT) * ROWS_PER_EVENT;
  const now = new Date();
  const months = Array.from({ length: MONTHS }, (_, k) => {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - MONTHS + k, 1));
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - MONTHS + k + 1, 1));
    const from = k * perMonth;
    const to = Math.min(rows, (k + 1) * perMonth);
    return {
      k,
      start,
      end,
      from,
      to,
      table: `"${schema}"."audit_event_${start.toISOString().slice(0, 7).replace('-', '_')}"`,
    };
  }).filter((m) => m.to > m.from);
  const { rows: indexDefs } = await ctx.pool.query<{ def: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
      WHERE i.indrelid = '"${schema}".audit_event'::regclass AND NOT i.indisprimary`,
  );
  const { rows: pk } = await ctx.pool.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '"${schema}".audit_event'::regclass AND contype = 'p'`,
  );
  let loadMs = 0;
  let indexMs = 0;
  const queue = [...months];
  const attachLock: { chain: Promise<void> } = { chain: Promise.resolve() };
  const worker = async () => {
    const client: PoolClient = await ctx.pool.connect();
    try {
      await client.query(`SET maintenance_work_mem = '256MB'`);
      await client.query(`SET max_parallel_maintenance_workers = 0`);
      for (let m = queue.shift(); m; m = queue.shift()) {
        const t0 = Date.now();
        // UNLOGGED: no WAL for the bulk load. Reads cost the same; only crash safety is lost, which a read
        // benchmark's generated rows do not need (they are regenerated, or dropped at the end).
        await client.query(
          `CREATE UNLOGGED TABLE ${m.table} (LIKE "${schema}".audit_event INCLUDING DEFAULTS)`,
        );
        const msPerRow = (m.end.getTime() - m.start.getTime() - 1000) / Math.max(1, m.to - m.from);
        await client.query(insertSql(m.table), [m.from, m.to, m.start.toISOString(), msPerRow]);
        const t1 = Date.now();
        loadMs += t1 - t0;
        // The parent's index definitions, pointed at this table, so ATTACH adopts them instead of building.
        for (const { def } of indexDefs) {
          await client.query(
            def.replace(
              /^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+/,
              (_all, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX ON ${m.table}`,
            ),
          );
        }
        await client.query(`ALTER TABLE ${m.table} ADD ${pk[0]!.def}`);
        await client.query(
          `ALTER TABLE ${m.table} ADD CONSTRAINT bench_range CHECK (recorded_at >= '${m.start.toISOString()}' AND recorded_at < '${m.end.toISOString()}')`,
        );
        const attach = attachLock.chain.then(() =>
          client
            .query(
              `ALTER TABLE "${schema}".audit_event ATTACH PARTITION ${m.table} FOR VALUES FROM ('${m.start.toISOString()}') TO ('${m.end.toISOString()}')`,
            )
            .then(() => undefined),
        );
        attachLock.chain = attach.catch(() => undefined);
        await attach;
        indexMs += Date.now() - t1;
        ctx.log(
          `lineage: month ${m.start.toISOString().slice(0, 7)} ready (${(m.to - m.from).toLocaleString('en-GB')} rows: insert ${round((t1 - t0) / 1000, 1)} s, ${indexDefs.length + 1} indexes + attach ${round((Date.now() - t1) / 1000, 1)} s)`,
        );
      }
    } finally {
      client.release();
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: LOAD_WORKERS }, () => worker()));
  const wall = (Date.now() - started) / 1000;
  // Wall time in total, and the part of it spent indexing/attaching (in proportion to the workers' time).
  return { loadSeconds: wall, indexSeconds: wall * (indexMs / Math.max(1, loadMs + indexMs)) };
}
