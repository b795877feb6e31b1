import type { Pool } from 'pg';
import { AuditStages } from '@hub/audit';
import { NewestRevision, PriorTransforms, TransformHistory } from './transform-history.port';

/** A lookup slower than this fails the batch (retried) rather than holding the partition indefinitely. */
const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * One statement for the whole batch: which of its revisions were already transformed, and the newest
 * transformed event time of each of its canonical records. Both halves read the partial indexes of
 * migration 1764200000000 (stage = 'transformed'). `eventTimeMs` is the number the ingest writes into
 * the `transformed` event's detail; rows written before it existed have none and are left out of the
 * order rule (the duplicate rule still sees them).
 */
const FIND_SQL = `
  SELECT 'revision' AS kind, revision AS key, canonical_id AS other, NULL::text AS event_time, NULL::float8 AS event_time_ms
    FROM audit_event
   WHERE stage = $1 AND revision = ANY($2::text[])
  UNION ALL
  (SELECT DISTINCT ON (canonical_id) 'newest', canonical_id, revision, detail->>'eventTime', (detail->>'eventTimeMs')::float8
     FROM audit_event
    WHERE stage = $1 AND canonical_id = ANY($3::text[]) AND jsonb_typeof(detail->'eventTimeMs') = 'number'
    ORDER BY canonical_id, (detail->>'eventTimeMs')::float8 DESC)`;

interface Row {
  kind: 'revision' | 'newest';
  key: string;
  other: string | null;
  event_time: string | null;
  event_time_ms: number | null;
}

/** The {@link TransformHistory} over the audit log's `transformed` events in Postgres. */
export class AuditLogTransformHistory implements TransformHistory {
  constructor(private readonly pool: Pool) {}

  async find(revisions: readonly string[], canonicalIds: readonly string[]): Promise<PriorTransforms> {
    const found = { revisions: new Map<string, string>(), newest: new Map<string, NewestRevision>() };
    if (revisions.length === 0 && canonicalIds.length === 0) return found;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the transform history lookup took longer than ${LOOKUP_TIMEOUT_MS} ms`)),
        LOOKUP_TIMEOUT_MS,
      );
    });
    try {
      const { rows } = await Promise.race([
        this.pool.query<Row>(FIND_SQL, [AuditStages.TRANSFORMED, revisions, canonicalIds]),
        timeout,
      ]);
      for (const r of rows) {
        if (r.kind === 'revision') {
          if (r.other) found.revisions.set(r.key, r.other);
        } else if (r.other && r.event_time_ms !== null) {
          found.newest.set(r.key, {
            revision: r.other,
            eventTime: r.event_time ?? '',
            eventTimeMs: Number(r.event_time_ms),
          });
        }
      }
      return found;
    } finally {
      clearTimeout(timer);
    }
  }
}
