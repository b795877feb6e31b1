import { createHash } from 'node:crypto';

/** Every stage the audit log records (CONTRACT + issue 5). */
export const AuditStages = {
  RECEIVED: 'received',
  REJECTED: 'rejected',
  FILE_RECEIVED: 'file_received',
  FILE_SPLIT: 'file_split',
  TRANSFORMED: 'transformed',
  /** A re-sent source event (same council + ce_id) that was already transformed: not delivered again. */
  DUPLICATE: 'duplicate',
  /** A source event older (ce_time) than the newest transformed revision of its record: not delivered. */
  SUPERSEDED: 'superseded',
  ROUTED: 'routed',
  UNROUTED: 'unrouted',
  REFUSED: 'refused',
  DELIVERY_ATTEMPTED: 'delivery_attempted',
  DELIVERED: 'delivered',
  DELIVERY_FAILED: 'delivery_failed',
  REPLAYED: 'replayed',
  ACCESSED: 'accessed',
} as const;

export type AuditStage = (typeof AuditStages)[keyof typeof AuditStages];

/** Scalar detail values only: identifiers, hashes, counts, field names. Never personal data. */
export type AuditDetail = Record<string, string | number | boolean | null>;

/**
 * One audit event as emitted by an app. Carries identifiers and non-personal facts only: payload
 * hashes and sizes, field names, codes; never record values.
 */
export interface AuditEvent {
  eventId: string;
  stage: AuditStage;
  occurredAt: string;
  actor: string;
  council?: string;
  domain?: string;
  entity?: string;
  sourceEventId?: string;
  canonicalId?: string;
  revision?: string;
  deliveryId?: string;
  fileId?: string;
  code?: string;
  detail: AuditDetail;
}

/**
 * A deterministic event id from the stage and the identifiers that make the event unique, so a
 * re-processed batch produces the same ids (and the log can be checked for doubles).
 */
export function auditEventId(stage: AuditStage, ...parts: Array<string | number | undefined>): string {
  return createHash('sha256')
    .update([stage, ...parts.map((p) => (p === undefined ? '' : String(p)))].join('\u001f'))
    .digest('hex')
    .slice(0, 32);
}

/** SHA-256 of a payload, hex: what the audit log keeps instead of the payload. */
export function payloadSha256(bytes: Buffer | null): string {
  return createHash('sha256')
    .update(bytes ?? Buffer.alloc(0))
    .digest('hex');
}
