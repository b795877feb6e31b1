import type { Pool } from 'pg';
import { AuditDetail } from './audit-event';

/** An audit event as the API shows it. */
export interface AuditEventView {
  chain: number;
  seq: string;
  eventId: string;
  stage: string;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  council: string | null;
  domain: string | null;
  entity: string | null;
  sourceEventId: string | null;
  canonicalId: string | null;
  revision: string | null;
  deliveryId: string | null;
  fileId: string | null;
  code: string | null;
  detail: AuditDetail;
  hash: string;
}

/** One source event's story: received (or split from a file), transformed or rejected, routed, delivered. */
export interface SourceEventStory {
  sourceEventId: string;
  council: string | null;
  domain: string | null;
  entity: string | null;
  canonicalId: string | null;
  revision: string | null;
  fileId: string | null;
  outcome: 'canonical' | 'rejected' | 'duplicate' | 'superseded' | 'in-flight';
  events: AuditEventView[];
}

export interface Lineage {
  id: string;
  matchedAs: Array<'source_event_id' | 'canonical_id' | 'revision' | 'delivery_id' | 'file_id'>;
  council: string | null;
  sources: SourceEventStory[];
}

const SELECT = `SELECT chain, seq::text, event_id, stage, occurred_at, recorded_at, actor, council, domain, entity,
  source_event_id, canonical_id, revision, delivery_id, file_id, code, detail, encode(hash, 'hex') AS hash FROM audit_event`;

interface ViewRow {
  chain: number;
  seq: string;
  event_id: string;
  stage: string;
  occurred_at: Date;
  recorded_at: Date;
  actor: string;
  council: string | null;
  domain: string | null;
  entity: string | null;
  source_event_id: string | null;
  canonical_id: string | null;
  revision: string | null;
  delivery_id: string | null;
  file_id: string | null;
  code: string | null;
  detail: AuditDetail;
  hash: string;
}

function toView(r: ViewRow): AuditEventView {
  return {
    chain: r.chain,
    seq: r.seq,
    eventId: r.event_id,
    stage: r.stage,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    actor: r.actor,
    council: r.council,
    domain: r.domain,
    entity: r.entity,
    sourceEventId: r.source_event_id,
    canonicalId: r.canonical_id,
    revision: r.revision,
    deliveryId: r.delivery_id,
    fileId: r.file_id,
    code: r.code,
    detail: r.detail,
    hash: r.hash,
  };
}

const MAX_SOURCES = 500;

/**
 * The whole story of one record. `id` may be a source event id (ce_id), a canonical id (all its
 * revisions), a revision, a delivery id or a file id. `council` limits it to that council's records.
 */
export async function findLineage(pool: Pool, id: string, council?: string): Promise<Lineage | undefined> {
  // Named (prepared per connection): planning these over every monthly partition and its indexes cost
  // more than running them; a prepared statement is planned once per connection (bench: lineage).
  const { rows: matches } = await pool.query<{
    source_event_id: string | null;
    revision: string | null;
    matched: string;
  }>({
    name: 'hub-lineage-matches',
    text: `SELECT DISTINCT source_event_id, revision,
            CASE WHEN source_event_id = $1 THEN 'source_event_id' WHEN canonical_id = $1 THEN 'canonical_id'
                 WHEN revision = $1 THEN 'revision' WHEN delivery_id = $1 THEN 'delivery_id' ELSE 'file_id' END AS matched
       FROM audit_event
      WHERE (source_event_id = $1 OR canonical_id = $1 OR revision = $1 OR delivery_id = $1 OR file_id = $1)
        AND ($2::text IS NULL OR council = $2)
      LIMIT ${MAX_SOURCES}`,
    values: [id, council ?? null],
  });
  if (matches.length === 0) return undefined;
  const sourceIds = [...new Set(matches.map((m) => m.source_event_id).filter((s): s is string => !!s))];
  const revisions = [...new Set(matches.map((m) => m.revision).filter((s): s is string => !!s))];
  const { rows } = await pool.query<ViewRow>({
    name: 'hub-lineage-events',
    text: `${SELECT} WHERE (source_event_id = ANY($1) OR revision = ANY($2)) AND ($3::text IS NULL OR council = $3)
     ORDER BY occurred_at, chain, seq`,
    values: [sourceIds, revisions, council ?? null],
  });
  const events = rows.map(toView);
  const bySource = new Map<string, AuditEventView[]>();
  const sourceOfRevision = new Map<string, string>();
  for (const e of events)
    if (e.sourceEventId && e.revision) sourceOfRevision.set(e.revision, e.sourceEventId);
  for (const e of events) {
    const key =
      e.sourceEventId ??
      (e.revision ? sourceOfRevision.get(e.revision) : undefined) ??
      e.revision ??
      'unknown';
    const list = bySource.get(key);
    if (list) list.push(e);
    else bySource.set(key, [e]);
  }
  const sources: SourceEventStory[] = [...bySource].map(([sourceEventId, list]) => {
    const pick = <K extends keyof AuditEventView>(k: K) => list.find((e) => e[k] !== null)?.[k] ?? null;
    const stages = new Set(list.map((e) => e.stage));
    return {
      sourceEventId,
      council: pick('council') as string | null,
      domain: pick('domain') as string | null,
      entity: pick('entity') as string | null,
      canonicalId: pick('canonicalId') as string | null,
      revision: pick('revision') as string | null,
      fileId: pick('fileId') as string | null,
      outcome: stages.has('transformed')
        ? 'canonical'
        : stages.has('rejected')
          ? 'rejected'
          : stages.has('duplicate')
            ? 'duplicate'
            : stages.has('superseded')
              ? 'superseded'
              : 'in-flight',
      events: list,
    };
  });
  return {
    id,
    matchedAs: [...new Set(matches.map((m) => m.matched))] as Lineage['matchedAs'],
    council: sources[0]?.council ?? null,
    sources,
  };
}

export interface AuditEventFilter {
  council?: string;
  domain?: string;
  stage?: string;
  code?: string;
  from?: Date;
  to?: Date;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit?: number;
}

export interface AuditEventPage {
  events: AuditEventView[];
  nextCursor: string | null;
}

/** Filtered audit events, oldest first, with keyset (cursor) pagination on (recorded_at, chain, seq). */
export async function listAuditEvents(pool: Pool, filter: AuditEventFilter): Promise<AuditEventPage> {
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.council) where.push(`council = $${params.push(filter.council)}`);
  if (filter.domain) where.push(`domain = $${params.push(filter.domain)}`);
  if (filter.stage) where.push(`stage = $${params.push(filter.stage)}`);
  if (filter.code) where.push(`code = $${params.push(filter.code)}`);
  if (filter.from) where.push(`recorded_at >= $${params.push(filter.from)}`);
  if (filter.to) where.push(`recorded_at < $${params.push(filter.to)}`);
  if (filter.cursor) {
    const [at, chain, seq] = decodeCursor(filter.cursor);
    where.push(
      `(recorded_at, chain, seq) > ($${params.push(at)}::timestamptz, $${params.push(chain)}::int, $${params.push(seq)}::bigint)`,
    );
  }
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY recorded_at, chain, seq LIMIT ${limit + 1}`;
  const { rows } = await pool.query<ViewRow>(sql, params);
  const page = rows.slice(0, limit).map(toView);
  const last = page[page.length - 1];
  return {
    events: page,
    nextCursor: rows.length > limit && last ? encodeCursor(last.recordedAt, last.chain, last.seq) : null,
  };
}

function encodeCursor(recordedAt: string, chain: number, seq: string): string {
  return Buffer.from(JSON.stringify([recordedAt, chain, seq])).toString('base64url');
}

/** Throws on a malformed cursor; callers turn that into a 400. */
export function decodeCursor(cursor: string): [string, number, string] {
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'number' ||
    !/^\d+$/.test(String(parsed[2]))
  ) {
    throw new Error('cursor is not one this API issued');
  }
  return [parsed[0], parsed[1], String(parsed[2])];
}
