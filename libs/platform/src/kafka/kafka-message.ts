import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { HeaderMap } from './cloud-event.envelope';

/** One consumed record with its coordinates; headers decoded to strings once, here. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: HeaderMap;
  /** Headers exactly as received, for the DLQ (which keeps the original untouched). */
  rawHeaders: IHeaders;
  /** Broker timestamp, milliseconds since the epoch, as a string (kafkajs' form). */
  timestamp: string;
}

/** A record to produce. */
export interface OutboundMessage {
  topic: string;
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: IHeaders;
}

/** Decodes kafkajs headers (Buffer | string | array) to a flat string map; the last value of a repeated header wins. */
export function decodeHeaders(headers: IHeaders | undefined): HeaderMap {
  const out: HeaderMap = {};
  if (!headers) return out;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    out[name.toLowerCase()] = value === undefined ? undefined : value.toString();
  }
  return out;
}

/**
 * Headers that appear more than once on a record: a broken envelope the hub must not guess about.
 * Names are compared case-insensitively, as {@link decodeHeaders} reads them: `ce_id` beside `CE_ID`
 * would otherwise let the last one silently win.
 */
export function repeatedHeaders(headers: IHeaders | undefined): string[] {
  if (!headers) return [];
  const counts = new Map<string, number>();
  for (const [name, raw] of Object.entries(headers)) {
    const key = name.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + (Array.isArray(raw) ? raw.length : 1));
  }
  return [...counts].filter(([, n]) => n > 1).map(([name]) => name);
}

export function toConsumedMessage(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: decodeHeaders(message.headers),
    rawHeaders: message.headers ?? {},
    timestamp: message.timestamp,
  };
}
