import type { Pool } from 'pg';
import { AuditStages } from '@hub/audit';
import { EVENT_TIME_MS } from '@hub/persistence';
import { NewestRevision, PriorTransforms, RejectedEvent, TransformHistory } from './transform-history.port';

/** A lookup slower than this fails the batch (retried) rather than holding the partition indefinitely. */
const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * One statement for the whole batch: which of its revisions were already transformed, the newest
 * transformed event time of each of its canonical records, and how its revisions were rejected (the first
 * rejection per distinct payload hash). The first half reads the partial index of migration 1764200000000
 * (stage = 'transformed', by revision). The second asks, per canonical record, for the first entry of the
 * index of migration 1764500000000 (by record, newest event time first): one index probe per record however
 * many times it was transformed before. The third reads the index of migration 1764400000000 (stage =
 * 'rejected'). `eventTimeMs` is the number the ingest writes into the `transformed` event's detail; rows
 * written before it existed have none and are left out of the order rule (the duplicate rule still sees
 * them). Likewise `rejected` events written before they carried a revision and `payloadSha256` are never
 * found: their re-sends are dead-lettered again, as they were then.
 */
const FIND_SQL = `
  SELECT 'revision' AS kind, revision AS key, canonical_id AS other, NULL::text AS event_time,
         NULL::float8 AS event_time_ms, NULL::text AS code, NULL::text AS event_id
    FROM audit_event
   WHERE stage = $1 AND revision = ANY($2::text[])
  UNION ALL
  SELECT 'newest', ids.id, newest.revision, newest.event_time, newest.event_time_ms, NULL, NULL
    FROM unnest($3::text[]) AS ids(id)
   CROSS JOIN LATERAL (
         SELECT revision, detail->>'eventTime' AS event_time, (${EVENT_TIME_MS}) AS event_time_ms
           FROM audit_event
          WHERE stage = $1 AND canonical_id = ids.id AND (${EVENT_TIME_MS}) IS NOT NULL
          ORDER BY (${EVENT_TIME_MS}) DESC NULLS LAST
          LIMIT 1) AS newest
  UNION ALL
  (SELECT DISTINCT ON (revision, detail->>'payloadSha256') 'rejected', revision, detail->>'payloadSha256',
          NULL, NULL, code, event_id
     FROM audit_event
    WHERE stage = $4 AND revision = ANY($2::text[]) AND jsonb_typeof(detail->'payloadSha256') = 'string'
    ORDER BY revision, detail->>'payloadSha256', occurred_at, chain, seq)`;

interface Row {
  kind: 'revision' | 'newest' | 'rejected';
  key: string;
  other: string | null;
  event_time: string | null;
  event_time_ms: number | null;
  code: string | null;
  event_id: string | null;
}

/** The {@link TransformHistory} over the audit log's `transformed` and `rejected` events in Postgres. */
export class AuditLogTransformHistory implements TransformHistory {
  constructor(private readonly pool: Pool) {}

  async find(revisions: readonly string[], canonicalIds: readonly string[]): Promise<PriorTransforms> {
    const found = {
      revisions: new Map<string, string>(),
      newest: new Map<string, NewestRevision>(),
      rejections: new Map<string, RejectedEvent[]>(),
    };
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
        this.pool.query<Row>(FIND_SQL, [
          AuditStages.TRANSFORMED,
          revisions,
          canonicalIds,
          AuditStages.REJECTED,
        ]),
        timeout,
      ]);
      for (const r of rows) {
        if (r.kind === 'revision') {
          if (r.other) found.revisions.set(r.key, r.other);
        } else if (r.kind === 'newest') {
          if (r.other && r.event_time_ms !== null) {
            found.newest.set(r.key, {
              revision: r.other,
              eventTime: r.event_time ?? '',
              eventTimeMs: Number(r.event_time_ms),
            });
          }
        } else if (r.other && r.code && r.event_id) {
          const rejection = { revision: r.key, payloadSha256: r.other, code: r.code, eventId: r.event_id };
          const known = found.rejections.get(r.key);
          if (known) known.push(rejection);
          else found.rejections.set(r.key, [rejection]);
        }
      }
      return found;
    } finally {
      clearTimeout(timer);
    }
  }
}
