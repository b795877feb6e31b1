import type { Pool } from 'pg';
import { AuditStages } from './audit-event';

/**
 * Aggregate queries over `audit_event` for the operations view: feed activity, destination activity,
 * dead letters and their replays, and per-minute series. Read-only (the table is append-only); each
 * query is shaped to use an index of migration 1764100000000 (see libs/persistence).
 */

/** One council x domain feed to aggregate. */
export interface FeedKey {
  council: string;
  domain: string;
}

/** Counts and times of one feed, as the audit log records them. */
export interface FeedActivity extends FeedKey {
  /** When the ingest received the feed's latest record (occurred_at of the newest `received` event). */
  lastReceivedAt: Date | null;
  received5m: number;
  received1h: number;
  rejected5m: number;
  rejected1h: number;
  /** Outcomes (transformed, rejected, duplicate) among the feed's latest `recentWindow` records. */
  recentOutcomes: number;
  /** How many of those were rejected. */
  recentRejected: number;
  /** Every rejection ever recorded for the feed. */
  rejectedTotal: number;
  /** Distinct rejections replayed (a dead letter is replayed at most once). */
  replayedTotal: number;
}

const OUTCOME_STAGES = `('${AuditStages.TRANSFORMED}', '${AuditStages.REJECTED}', '${AuditStages.DUPLICATE}')`;
const DELIVERY_STAGES = `('${AuditStages.DELIVERED}', '${AuditStages.DELIVERY_FAILED}')`;

const MINUTE_MS = 60_000;

/**
 * Activity of each given feed at `now`. One statement, scalar subqueries per feed so that each uses its
 * partial index (received, rejected, outcomes) instead of scanning every stage of the feed.
 */
export async function feedActivity(
  pool: Pool,
  feeds: readonly FeedKey[],
  now: Date,
  recentWindow = 50,
): Promise<FeedActivity[]> {
  if (feeds.length === 0) return [];
  const fiveMinutesAgo = new Date(now.getTime() - 5 * MINUTE_MS);
  const hourAgo = new Date(now.getTime() - 60 * MINUTE_MS);
  const { rows } = await pool.query<{
    council: string;
    domain: string;
    last_received_at: Date | null;
    received_5m: string;
    received_1h: string;
    rejected_5m: string;
    rejected_1h: string;
    recent_outcomes: string;
    recent_rejected: string;
    rejected_total: string;
    replayed_total: string;
  }>(
    `WITH f(council, domain) AS (SELECT * FROM unnest($1::text[], $2::text[]))
     SELECT f.council, f.domain,
       (SELECT a.occurred_at FROM audit_event a
         WHERE a.stage = '${AuditStages.RECEIVED}' AND a.council = f.council AND a.domain = f.domain
         ORDER BY a.recorded_at DESC LIMIT 1) AS last_received_at,
       rc.received_5m, rc.received_1h, rj.rejected_5m, rj.rejected_1h,
       o.recent_outcomes, o.recent_rejected,
       (SELECT count(*) FROM audit_event a
         WHERE a.stage = '${AuditStages.REJECTED}' AND a.council = f.council AND a.domain = f.domain) AS rejected_total,
       (SELECT count(DISTINCT a.detail->>'originalEventId') FROM audit_event a
         WHERE a.stage = '${AuditStages.REPLAYED}' AND a.council = f.council AND a.domain = f.domain) AS replayed_total
     FROM f
     CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE a.recorded_at >= $3) AS received_5m, count(*) AS received_1h FROM audit_event a
        WHERE a.stage = '${AuditStages.RECEIVED}' AND a.council = f.council AND a.domain = f.domain AND a.recorded_at >= $4
     ) rc
     CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE a.recorded_at >= $3) AS rejected_5m, count(*) AS rejected_1h FROM audit_event a
        WHERE a.stage = '${AuditStages.REJECTED}' AND a.council = f.council AND a.domain = f.domain AND a.recorded_at >= $4
     ) rj
     CROSS JOIN LATERAL (
       SELECT count(*) AS recent_outcomes, count(*) FILTER (WHERE x.stage = '${AuditStages.REJECTED}') AS recent_rejected
         FROM (SELECT a.stage FROM audit_event a
                WHERE a.stage IN ${OUTCOME_STAGES} AND a.council = f.council AND a.domain = f.domain
                ORDER BY a.recorded_at DESC LIMIT $5) x
     ) o`,
    [feeds.map((f) => f.council), feeds.map((f) => f.domain), fiveMinutesAgo, hourAgo, recentWindow],
  );
  return rows.map((r) => ({
    council: r.council,
    domain: r.domain,
    lastReceivedAt: r.last_received_at,
    received5m: Number(r.received_5m),
    received1h: Number(r.received_1h),
    rejected5m: Number(r.rejected_5m),
    rejected1h: Number(r.rejected_1h),
    recentOutcomes: Number(r.recent_outcomes),
    recentRejected: Number(r.recent_rejected),
    rejectedTotal: Number(r.rejected_total),
    replayedTotal: Number(r.replayed_total),
  }));
}

/** Counts, times and latency of one destination, from `delivered` and `delivery_failed` events. */
export interface DestinationActivity {
  destination: string;
  delivered5m: number;
  delivered1h: number;
  failed5m: number;
  failed1h: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** Over the last hour's deliveries (detail.latencyMs); null without deliveries that carry one. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/** Activity of each destination at `now` (last 5 minutes, last hour, and its latest success and failure ever). */
export async function destinationActivity(
  pool: Pool,
  destinations: readonly string[],
  now: Date,
): Promise<DestinationActivity[]> {
  if (destinations.length === 0) return [];
  const fiveMinutesAgo = new Date(now.getTime() - 5 * MINUTE_MS);
  const hourAgo = new Date(now.getTime() - 60 * MINUTE_MS);
  const { rows } = await pool.query<{
    destination: string;
    delivered_5m: string;
    delivered_1h: string;
    failed_5m: string;
    failed_1h: string;
    last_success_at: Date | null;
    last_failure_at: Date | null;
    p50: number | null;
    p95: number | null;
  }>(
    `WITH d(destination) AS (SELECT * FROM unnest($1::text[]))
     SELECT d.destination, w.delivered_5m, w.delivered_1h, w.failed_5m, w.failed_1h, w.p50, w.p95,
       (SELECT max(a.recorded_at) FROM audit_event a
         WHERE a.stage IN ${DELIVERY_STAGES} AND a.detail->>'destination' = d.destination AND a.stage = '${AuditStages.DELIVERED}') AS last_success_at,
       (SELECT max(a.recorded_at) FROM audit_event a
         WHERE a.stage IN ${DELIVERY_STAGES} AND a.detail->>'destination' = d.destination AND a.stage = '${AuditStages.DELIVERY_FAILED}') AS last_failure_at
     FROM d
     CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE a.stage = '${AuditStages.DELIVERED}' AND a.recorded_at >= $2) AS delivered_5m,
              count(*) FILTER (WHERE a.stage = '${AuditStages.DELIVERED}') AS delivered_1h,
              count(*) FILTER (WHERE a.stage = '${AuditStages.DELIVERY_FAILED}' AND a.recorded_at >= $2) AS failed_5m,
              count(*) FILTER (WHERE a.stage = '${AuditStages.DELIVERY_FAILED}') AS failed_1h,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY (a.detail->>'latencyMs')::float8)
                FILTER (WHERE a.stage = '${AuditStages.DELIVERED}') AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY (a.detail->>'latencyMs')::float8)
                FILTER (WHERE a.stage = '${AuditStages.DELIVERED}') AS p95
         FROM audit_event a
        WHERE a.stage IN ${DELIVERY_STAGES} AND a.detail->>'destination' = d.destination AND a.recorded_at >= $3
     ) w`,
    [destinations, fiveMinutesAgo, hourAgo],
  );
  return rows.map((r) => ({
    destination: r.destination,
    delivered5m: Number(r.delivered_5m),
    delivered1h: Number(r.delivered_1h),
    failed5m: Number(r.failed_5m),
    failed1h: Number(r.failed_1h),
    lastSuccessAt: r.last_success_at,
    lastFailureAt: r.last_failure_at,
    latencyP50Ms: r.p50 === null ? null : Math.round(r.p50),
    latencyP95Ms: r.p95 === null ? null : Math.round(r.p95),
  }));
}

/** A replay of a dead letter, as its `replayed` audit event records it. */
export interface DeadLetterReplay {
  replayId: string;
  /** `<dlqTopic>/<partition>/<offset>` of the dead letter that was replayed. */
  replayOf: string;
  replayedAt: string;
  actor: string;
}

/** A dead letter as the console lists it: the `rejected` audit event, never the payload. */
export interface DeadLetterView {
  /** The rejection's audit event id: what `POST /api/dlq/replay` takes. */
  id: string;
  council: string | null;
  domain: string | null;
  code: string | null;
  reason: string | null;
  /** The step that refused it (envelope, parse, mapping). */
  failedStage: string | null;
  sourceEventId: string | null;
  fileId: string | null;
  /** When the ingest received and rejected it. */
  receivedAt: string;
  recordedAt: string;
  dlqTopic: string | null;
  /** Where the record was originally consumed from (the DLQ record carries these as hub_source_* headers). */
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  replay: DeadLetterReplay | null;
}

/** Filter of {@link listDeadLetters}; every field optional. */
export interface DeadLetterFilter {
  /** Rejection audit event ids. */
  ids?: readonly string[];
  council?: string;
  domain?: string;
  code?: string;
  /** On recorded_at, inclusive. */
  from?: Date;
  /** On recorded_at, exclusive. */
  to?: Date;
  /** `pending`: not replayed yet; `replayed`: replayed; absent: both. */
  state?: 'pending' | 'replayed';
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit?: number;
}

/** A page of dead letters, newest first. */
export interface DeadLetterPage {
  deadLetters: DeadLetterView[];
  nextCursor: string | null;
}

interface DeadLetterRow {
  chain: number;
  seq: string;
  event_id: string;
  council: string | null;
  domain: string | null;
  code: string | null;
  source_event_id: string | null;
  file_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  detail: Record<string, string | number | boolean | null>;
  replay_id: string | null;
  replay_of: string | null;
  replayed_at: Date | null;
  replay_actor: string | null;
}

const str = (v: string | number | boolean | null | undefined): string | null =>
  v === null || v === undefined ? null : String(v);

/**
 * Dead letters (rejections) filtered and paginated newest first, with their replay if there was one.
 * Keyset pagination on (recorded_at, chain, seq), so pages stay stable while new rejections arrive.
 */
export async function listDeadLetters(pool: Pool, filter: DeadLetterFilter): Promise<DeadLetterPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const params: unknown[] = [];
  const where: string[] = [`a.stage = '${AuditStages.REJECTED}'`];
  if (filter.ids) where.push(`a.event_id = ANY($${params.push([...filter.ids])}::text[])`);
  if (filter.council) where.push(`a.council = $${params.push(filter.council)}`);
  if (filter.domain) where.push(`a.domain = $${params.push(filter.domain)}`);
  if (filter.code) where.push(`a.code = $${params.push(filter.code)}`);
  if (filter.from) where.push(`a.recorded_at >= $${params.push(filter.from)}`);
  if (filter.to) where.push(`a.recorded_at < $${params.push(filter.to)}`);
  if (filter.state === 'pending') where.push('r.replay_id IS NULL');
  if (filter.state === 'replayed') where.push('r.replay_id IS NOT NULL');
  if (filter.cursor) {
    const [at, chain, seq] = decodeDeadLetterCursor(filter.cursor);
    where.push(
      `(a.recorded_at, a.chain, a.seq) < ($${params.push(at)}::timestamptz, $${params.push(chain)}::int, $${params.push(seq)}::bigint)`,
    );
  }
  const { rows } = await pool.query<DeadLetterRow>(
    `SELECT a.chain, a.seq::text AS seq, a.event_id, a.council, a.domain, a.code, a.source_event_id, a.file_id,
            a.occurred_at, a.recorded_at, a.detail, r.replay_id, r.replay_of, r.replayed_at, r.replay_actor
       FROM audit_event a
       LEFT JOIN LATERAL (
         SELECT p.detail->>'replayId' AS replay_id, p.detail->>'replayOf' AS replay_of, p.occurred_at AS replayed_at, p.actor AS replay_actor
           FROM audit_event p
          WHERE p.stage = '${AuditStages.REPLAYED}' AND p.detail->>'originalEventId' = a.event_id
          ORDER BY p.recorded_at LIMIT 1
       ) r ON true
      WHERE ${where.join(' AND ')}
      ORDER BY a.recorded_at DESC, a.chain DESC, a.seq DESC
      LIMIT ${limit + 1}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    deadLetters: page.map(toDeadLetter),
    nextCursor:
      rows.length > limit && last
        ? encodeDeadLetterCursor(last.recorded_at.toISOString(), last.chain, last.seq)
        : null,
  };
}

function toDeadLetter(r: DeadLetterRow): DeadLetterView {
  const d = r.detail;
  const partition = d.partition;
  return {
    id: r.event_id,
    council: r.council,
    domain: r.domain,
    code: r.code,
    reason: str(d.reason),
    failedStage: str(d.stage),
    sourceEventId: r.source_event_id,
    fileId: r.file_id,
    receivedAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    dlqTopic: str(d.dlqTopic),
    sourceTopic: str(d.topic),
    sourcePartition:
      typeof partition === 'number'
        ? partition
        : partition === null || partition === undefined
          ? null
          : Number(partition),
    sourceOffset: str(d.offset),
    replay:
      r.replay_id !== null && r.replayed_at !== null
        ? {
            replayId: r.replay_id,
            replayOf: r.replay_of ?? '',
            replayedAt: r.replayed_at.toISOString(),
            actor: r.replay_actor ?? '',
          }
        : null,
  };
}

function encodeDeadLetterCursor(recordedAt: string, chain: number, seq: string): string {
  return Buffer.from(JSON.stringify(['dlq', recordedAt, chain, seq])).toString('base64url');
}

/** Throws on a cursor {@link listDeadLetters} did not issue; callers turn that into a 400. */
export function decodeDeadLetterCursor(cursor: string): [string, number, string] {
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== 'dlq' ||
    typeof parsed[1] !== 'string' ||
    Number.isNaN(Date.parse(parsed[1])) ||
    typeof parsed[2] !== 'number' ||
    !/^\d+$/.test(String(parsed[3]))
  ) {
    throw new Error('cursor is not one this API issued');
  }
  return [parsed[1], parsed[2], String(parsed[3])];
}

/** An audit event that carries `detail.replayOf`: a `replayed` event, or the `received` event of the replayed record. */
export interface ReplayTrace {
  replayOf: string;
  stage: string;
  replayId: string | null;
  occurredAt: string;
}

/**
 * Every `replayed` or `received` audit event whose `detail.replayOf` is one of the given DLQ
 * coordinates (`<dlqTopic>/<partition>/<offset>`): the proof that a dead letter was already replayed.
 */
export async function findReplayTraces(pool: Pool, coordinates: readonly string[]): Promise<ReplayTrace[]> {
  if (coordinates.length === 0) return [];
  const { rows } = await pool.query<{
    replay_of: string;
    stage: string;
    replay_id: string | null;
    occurred_at: Date;
  }>(
    `SELECT a.detail->>'replayOf' AS replay_of, a.stage, a.detail->>'replayId' AS replay_id, a.occurred_at
       FROM audit_event a
      WHERE (a.detail->>'replayOf') IS NOT NULL AND (a.detail->>'replayOf') = ANY($1::text[])
        AND a.stage IN ('${AuditStages.REPLAYED}', '${AuditStages.RECEIVED}')`,
    [[...coordinates]],
  );
  return rows.map((r) => ({
    replayOf: r.replay_of,
    stage: r.stage,
    replayId: r.replay_id,
    occurredAt: r.occurred_at.toISOString(),
  }));
}

/** One bucket of {@link activitySeries}. */
export interface ActivityBucket {
  at: string;
  received: number;
  rejected: number;
  delivered: number;
  /** p95 of detail.latencyMs of the bucket's deliveries; null when none carried one. */
  latencyP95Ms: number | null;
}

/**
 * Per-bucket counts of received, rejected and delivered events and the delivery latency p95, from
 * `from` to `to`, optionally for one council. Buckets without events are filled with zeros.
 */
export async function activitySeries(
  pool: Pool,
  options: { from: Date; to: Date; bucketSeconds: number; council?: string },
): Promise<ActivityBucket[]> {
  const { from, to, bucketSeconds } = options;
  const { rows } = await pool.query<{
    bucket: Date;
    received: string;
    rejected: string;
    delivered: string;
    p95: number | null;
  }>(
    `SELECT date_bin(make_interval(secs => $3), a.recorded_at, $1::timestamptz) AS bucket,
            count(*) FILTER (WHERE a.stage = '${AuditStages.RECEIVED}') AS received,
            count(*) FILTER (WHERE a.stage = '${AuditStages.REJECTED}') AS rejected,
            count(*) FILTER (WHERE a.stage = '${AuditStages.DELIVERED}') AS delivered,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY (a.detail->>'latencyMs')::float8)
              FILTER (WHERE a.stage = '${AuditStages.DELIVERED}') AS p95
       FROM audit_event a
      WHERE a.stage IN ('${AuditStages.RECEIVED}', '${AuditStages.REJECTED}', '${AuditStages.DELIVERED}')
        AND a.recorded_at >= $1 AND a.recorded_at < $2
        AND ($4::text IS NULL OR a.council = $4)
      GROUP BY 1 ORDER BY 1`,
    [from, to, bucketSeconds, options.council ?? null],
  );
  const byTime = new Map(rows.map((r) => [r.bucket.getTime(), r]));
  const buckets: ActivityBucket[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += bucketSeconds * 1000) {
    const r = byTime.get(t);
    buckets.push({
      at: new Date(t).toISOString(),
      received: r ? Number(r.received) : 0,
      rejected: r ? Number(r.rejected) : 0,
      delivered: r ? Number(r.delivered) : 0,
      latencyP95Ms: r && r.p95 !== null ? Math.round(r.p95) : null,
    });
  }
  return buckets;
}
