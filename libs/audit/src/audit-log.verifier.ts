import type { Pool } from 'pg';
import { AuditDetail } from './audit-event';
import { ChainedFields, GENESIS_HASH, chainHash } from './hash-chain';

export interface VerifyRange {
  /** Only rows recorded at or after this time. */
  from?: Date;
  /** Only rows recorded before this time. */
  to?: Date;
  /** Only this chain (default: all). */
  chain?: number;
}

export interface ChainBreak {
  chain: number;
  seq: string;
  eventId: string;
  reason: 'hash_mismatch' | 'link_mismatch' | 'sequence_gap';
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  chains: number;
  eventsChecked: number;
  firstBreak?: ChainBreak;
  range: { from?: string; to?: string; chain?: number };
}

interface Row {
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
  prev_hash: Buffer;
  hash: Buffer;
}

const PAGE = 5000;

/**
 * Recomputes the hash chain over a range and names the first event where it breaks: a row whose
 * content no longer matches its hash (altered), whose link does not match its predecessor (reordered
 * or inserted), or a missing sequence number (deleted). A range starting mid-chain is anchored on the
 * stored hash of the row before it.
 */
export async function verifyAuditLog(pool: Pool, range: VerifyRange = {}): Promise<VerifyReport> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (range.from) where.push(`recorded_at >= $${params.push(range.from)}`);
  if (range.to) where.push(`recorded_at < $${params.push(range.to)}`);
  if (range.chain !== undefined) where.push(`chain = $${params.push(range.chain)}`);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { rows: chains } = await pool.query<{ chain: number; min_seq: string }>(
    `SELECT chain, min(seq)::text AS min_seq FROM audit_event ${filter} GROUP BY chain ORDER BY chain`,
    params,
  );
  let eventsChecked = 0;
  const reportRange = { from: range.from?.toISOString(), to: range.to?.toISOString(), chain: range.chain };
  for (const { chain, min_seq } of chains) {
    let expectedSeq = BigInt(min_seq);
    let prevHash: Buffer = GENESIS_HASH;
    if (expectedSeq > 1n) {
      const anchor = await pool.query<{ hash: Buffer }>(
        `SELECT hash FROM audit_event WHERE chain = $1 AND seq = $2`,
        [chain, (expectedSeq - 1n).toString()],
      );
      prevHash = anchor.rows[0]?.hash ?? GENESIS_HASH;
    }
    let lastSeq = expectedSeq - 1n;
    for (;;) {
      const pageParams = [...params, chain, lastSeq.toString()];
      const { rows } = await pool.query<Row>(
        `SELECT * FROM audit_event ${filter ? `${filter} AND` : 'WHERE'} chain = $${params.length + 1}
           AND seq > $${params.length + 2} ORDER BY seq LIMIT ${PAGE}`,
        pageParams,
      );
      for (const row of rows) {
        eventsChecked += 1;
        const seq = BigInt(row.seq);
        const at = { chain, seq: row.seq, eventId: row.event_id };
        if (seq !== expectedSeq) {
          return broken(chains.length, eventsChecked, reportRange, {
            ...at,
            reason: 'sequence_gap',
            message: `Chain ${chain} jumps from seq ${expectedSeq - 1n} to ${seq}: events are missing.`,
          });
        }
        if (!row.prev_hash.equals(prevHash)) {
          return broken(chains.length, eventsChecked, reportRange, {
            ...at,
            reason: 'link_mismatch',
            message: `Event ${row.event_id} (chain ${chain}, seq ${seq}) does not link to the event before it.`,
          });
        }
        const recomputed = chainHash(prevHash, fromRow(row));
        if (!recomputed.equals(row.hash)) {
          return broken(chains.length, eventsChecked, reportRange, {
            ...at,
            reason: 'hash_mismatch',
            message: `Event ${row.event_id} (chain ${chain}, seq ${seq}) was altered after it was written.`,
          });
        }
        prevHash = row.hash;
        expectedSeq = seq + 1n;
        lastSeq = seq;
      }
      if (rows.length < PAGE) break;
    }
  }
  return { ok: true, chains: chains.length, eventsChecked, range: reportRange };
}

function broken(
  chains: number,
  eventsChecked: number,
  range: VerifyReport['range'],
  firstBreak: ChainBreak,
): VerifyReport {
  return { ok: false, chains, eventsChecked, firstBreak, range };
}

function fromRow(r: Row): ChainedFields {
  return {
    chain: r.chain,
    seq: r.seq,
    eventId: r.event_id,
    stage: r.stage,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
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
  };
}
