import type { IHeaders } from 'kafkajs';
import { Failure } from '../errors/hub.error';
import { DlqHeaders } from './cloud-event.headers';
import { ConsumedMessage, OutboundMessage } from './kafka-message';

/**
 * Builds the DLQ record for a message the hub could not accept: the original key, value and headers
 * untouched, plus the CONTRACT's `hub_error_*` headers (which replace any a sender forged).
 */
export function deadLetter(
  dlqTopic: string,
  original: ConsumedMessage,
  failure: Failure,
  failedAt: Date,
): OutboundMessage {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(original.rawHeaders)) {
    if (!name.startsWith('hub_error_') && !name.startsWith('hub_source_') && name !== DlqHeaders.failedAt)
      headers[name] = value;
  }
  headers[DlqHeaders.code] = failure.code;
  headers[DlqHeaders.reason] = failure.reason;
  headers[DlqHeaders.stage] = failure.stage;
  headers[DlqHeaders.sourceTopic] = original.topic;
  headers[DlqHeaders.sourcePartition] = String(original.partition);
  headers[DlqHeaders.sourceOffset] = original.offset;
  headers[DlqHeaders.failedAt] = failedAt.toISOString();
  return { topic: dlqTopic, key: original.key, value: original.value, headers };
}
