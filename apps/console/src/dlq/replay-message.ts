import type { IHeaders } from 'kafkajs';
import { DlqHeaders, HubHeaders, OutboundMessage } from '@hub/platform';

/** Where a dead letter sits: its DLQ topic, partition and offset. */
export interface DlqCoordinate {
  topic: string;
  partition: number;
  offset: string;
}

/** `<dlqTopic>/<partition>/<offset>`: the value of `hub_replay_of` and the key replays are de-duplicated on. */
export function formatDlqCoordinate(c: DlqCoordinate): string {
  return `${c.topic}/${c.partition}/${c.offset}`;
}

/** A dead letter as read back from its DLQ topic. */
export interface DeadLetterRecord extends DlqCoordinate {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

/**
 * True for headers the hub added to a record, which a replay must not carry back to the council topic:
 * the DLQ's `hub_error_*` and `hub_source_*` headers, `hub_failed_at`, and an earlier replay's
 * `hub_replay_*` (a record that failed again after a replay is a new dead letter with new coordinates).
 */
export function isHubAddedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower.startsWith('hub_error_') ||
    lower.startsWith('hub_source_') ||
    lower === DlqHeaders.failedAt ||
    lower === HubHeaders.replayOf ||
    lower === HubHeaders.replayId
  );
}

/**
 * The record to publish for a replay: the ORIGINAL key, value and headers (bytes untouched; the
 * council's CloudEvents headers, including ce_id, stay as they were), minus the headers the hub added,
 * plus `hub_replay_of` (the dead letter's coordinates) and `hub_replay_id` (the replay request).
 */
export function replayMessage(
  dead: DeadLetterRecord,
  targetTopic: string,
  replayId: string,
): OutboundMessage {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(dead.headers)) {
    if (value === undefined || isHubAddedHeader(name)) continue;
    headers[name] = value;
  }
  headers[HubHeaders.replayOf] = formatDlqCoordinate(dead);
  headers[HubHeaders.replayId] = replayId;
  return { topic: targetTopic, key: dead.key, value: dead.value, headers };
}

/** A header of a consumed record as one string (the last value of a repeated header), or undefined. */
export function headerText(headers: IHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value === undefined ? undefined : value.toString();
}
