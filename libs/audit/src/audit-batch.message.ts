import { AuditEvent } from './audit-event';

/**
 * Audit events travel to the writer on hub.audit.v1, one Kafka message per processed batch (not per
 * event): fewer, larger messages inside the same transaction as the records they describe.
 */
export interface AuditBatchMessage {
  v: 1;
  events: AuditEvent[];
}

export function encodeAuditBatch(events: AuditEvent[]): string {
  const message: AuditBatchMessage = { v: 1, events };
  return JSON.stringify(message);
}

export function decodeAuditBatch(value: Buffer | null): AuditEvent[] {
  if (!value) return [];
  const parsed = JSON.parse(value.toString('utf8')) as AuditBatchMessage;
  if (parsed.v !== 1 || !Array.isArray(parsed.events))
    throw new Error('hub.audit.v1 message is not version 1');
  return parsed.events;
}
