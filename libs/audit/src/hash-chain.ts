import { createHash } from 'node:crypto';
import { AuditDetail } from './audit-event';

/** The first link of every chain. */
export const GENESIS_HASH = Buffer.alloc(32);

/** The columns of a stored audit row that the hash covers, in a fixed order. */
export interface ChainedFields {
  chain: number;
  seq: string;
  eventId: string;
  stage: string;
  occurredAt: Date;
  recordedAt: Date;
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
}

/** JSON with object keys sorted at every level: jsonb reorders keys, so the hash must not depend on order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** hash = SHA-256(previous hash ‖ stable serialisation of the row). */
export function chainHash(prevHash: Buffer, row: ChainedFields): Buffer {
  const body = stableJson([
    row.chain,
    row.seq,
    row.eventId,
    row.stage,
    row.occurredAt.toISOString(),
    row.recordedAt.toISOString(),
    row.actor,
    row.council,
    row.domain,
    row.entity,
    row.sourceEventId,
    row.canonicalId,
    row.revision,
    row.deliveryId,
    row.fileId,
    row.code,
    row.detail,
  ]);
  return createHash('sha256').update(prevHash).update(body).digest();
}
