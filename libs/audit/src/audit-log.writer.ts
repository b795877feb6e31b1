import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { decodeAuditBatch } from './audit-batch.message';
import { AuditEvent } from './audit-event';
import { ChainedFields, GENESIS_HASH, chainHash, chainedFieldsOf, stableJson } from './hash-chain';

const COLUMNS = [
  'chain',
  'seq',
  'event_id',
  'stage',
  'occurred_at',
  'recorded_at',
  'actor',
  'council',
  'domain',
  'entity',
  'source_event_id',
  'canonical_id',
  'revision',
  'delivery_id',
  'file_id',
  'code',
  'detail',
  'prev_hash',
  'hash',
];

/** A message of the hub.audit.v1 topic as the writer needs it. */
export interface AuditTopicMessage {
  offset: string;
  value: Buffer | null;
}

/**
 * Persists audit events with COPY, exactly once: the chain head row stores the last Kafka offset of
 * its chain (= hub.audit.v1 partition) in the same transaction as the rows, so a batch re-delivered
 * after a crash is recognised and skipped. One writer owns a partition at a time (consumer group),
 * and the `FOR UPDATE` lock on the head keeps the chain linear even if two briefly overlap.
 */
export class AuditLogWriter {
  private readonly partitionsReady = new Set<string>();

  constructor(private readonly pool: Pool) {}

  /** Writes one partition batch; returns the events that were new (a re-delivered batch returns none). */
  async writeBatch(chain: number, messages: AuditTopicMessage[], now = new Date()): Promise<AuditEvent[]> {
    const client = await this.pool.connect();
    // pg-pool listens for errors only on idle clients. A checked-out client whose server goes away while
    // no query of ours is in flight (Postgres stopped or restarted) emits 'error' with no listener, and
    // that crashed the audit writer (found by test/faults/postgres-stopped.e2e.ts). Listen while we hold
    // it; the batch then fails (and is retried) and the client is discarded instead of returned.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await this.ensurePartition(client, now);
      await client.query('BEGIN');
      const head = await this.lockHead(client, chain);
      const fresh = messages.filter((m) => BigInt(m.offset) > head.lastOffset);
      if (fresh.length === 0) {
        await client.query('ROLLBACK');
        return [];
      }
      let seq = head.lastSeq;
      let prev = head.lastHash;
      const lines: string[] = [];
      const written: AuditEvent[] = [];
      for (const message of fresh) {
        for (const event of decodeAuditBatch(message.value)) {
          written.push(event);
          seq += 1n;
          const row = chainedFieldsOf(chain, seq, event, now);
          const detailJson = stableJson(row.detail);
          const hash = chainHash(prev, row, detailJson);
          lines.push(copyLine(row, detailJson, prev, hash));
          prev = hash;
        }
      }
      if (lines.length > 0) await copyRows(client, lines);
      const lastOffset = fresh[fresh.length - 1].offset;
      await client.query(
        `UPDATE audit_chain_head SET last_offset = $2, last_seq = $3, last_hash = $4, updated_at = now() WHERE chain = $1`,
        [chain, lastOffset, seq.toString(), prev],
      );
      await client.query('COMMIT');
      return written;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      broken ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.off('error', onError);
      // A client that failed mid-batch may be dead or mid-transaction: destroy it rather than reuse it.
      client.release(broken);
    }
  }

  private async lockHead(client: PoolClient, chain: number) {
    await client.query(
      `INSERT INTO audit_chain_head (chain, last_offset, last_seq, last_hash) VALUES ($1, -1, 0, $2)
       ON CONFLICT (chain) DO NOTHING`,
      [chain, GENESIS_HASH],
    );
    const { rows } = await client.query<{ last_offset: string; last_seq: string; last_hash: Buffer }>(
      `SELECT last_offset, last_seq, last_hash FROM audit_chain_head WHERE chain = $1 FOR UPDATE`,
      [chain],
    );
    return {
      lastOffset: BigInt(rows[0].last_offset),
      lastSeq: BigInt(rows[0].last_seq),
      lastHash: rows[0].last_hash,
    };
  }

  private async ensurePartition(client: PoolClient, now: Date): Promise<void> {
    const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
    if (this.partitionsReady.has(month)) return;
    await client.query(`SELECT ensure_audit_partition($1::date)`, [month]);
    this.partitionsReady.add(month);
  }
}

/** Characters COPY text format escapes; most values have none, and one test is cheaper than four replaces. */
const NEEDS_COPY_ESCAPE = /[\\\t\n\r]/;

/** COPY text format: tab-separated, \N for null, backslash escapes for \\, \t, \n, \r. */
function copyValue(value: string | null): string {
  if (value === null) return '\\N';
  if (!NEEDS_COPY_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function copyLine(r: ChainedFields, detailJson: string, prev: Buffer, hash: Buffer): string {
  return [
    String(r.chain),
    r.seq,
    r.eventId,
    r.stage,
    r.occurredAt.toISOString(),
    r.recordedAt.toISOString(),
    r.actor,
    r.council,
    r.domain,
    r.entity,
    r.sourceEventId,
    r.canonicalId,
    r.revision,
    r.deliveryId,
    r.fileId,
    r.code,
    detailJson,
    `\\x${prev.toString('hex')}`,
    `\\x${hash.toString('hex')}`,
  ]
    .map(copyValue)
    .join('\t');
}

async function copyRows(client: PoolClient, lines: string[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY audit_event (${COLUMNS.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([lines.join('\n') + '\n']), stream);
}
