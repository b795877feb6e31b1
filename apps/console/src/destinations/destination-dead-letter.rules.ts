import { DlqHeaders, OutboundMessage } from '@hub/platform';
import { DeliveryDlqHeaders, DeliveryHeaders } from '@hub/routing';
import { DeadLetterRecord, formatDlqCoordinate, headerText, replayMessage } from '../dlq/replay-message';

/** Largest number of dead letters one request replays; more pending ones are reported as `truncated`. */
export const MAX_DESTINATION_REPLAY = 500;

/** The part of a canonical record a dead letter is described by (never its data). */
interface CanonicalHead {
  id?: unknown;
  revision?: unknown;
  schema?: unknown;
  council?: { slug?: unknown };
  source?: { eventId?: unknown };
}

const SCHEMA = /^hub\.([a-z]+)\.([a-z0-9-]+)\.v\d+$/;

/** One dead letter of an HTTP destination, as read back from `hub.dlq.destination.<destination>`. */
export interface DestinationDeadLetter {
  /** `<dlqTopic>/<partition>/<offset>`: the value of `hub_replay_of` when it is replayed. */
  coordinate: string;
  /** The `Idempotency-Key` the destination saw (hub_delivery_id). */
  deliveryId: string;
  canonicalId: string | null;
  revision: string | null;
  sourceEventId: string | null;
  council: string | null;
  domain: string | null;
  entity: string | null;
  code: string | null;
  reason: string | null;
  attempts: number | null;
  /** The last HTTP status the destination answered, when it answered. */
  status: number | null;
  failedAt: string | null;
  /** The original record with the delivery worker's headers. */
  record: DeadLetterRecord;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const int = (v: string | undefined): number | null => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);

function readHead(value: Buffer | null): CanonicalHead {
  if (!value) return {};
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as CanonicalHead) : {};
  } catch {
    return {};
  }
}

/**
 * Describes a destination DLQ record: delivery id (the header the router set; else the coordinate, as
 * for a record the delivery worker could not read), the canonical record's identifiers, and the delivery
 * worker's code, reason, attempts and time. Reads identifiers only, never the record's data.
 */
export function describeDestinationDeadLetter(record: DeadLetterRecord): DestinationDeadLetter {
  const h = record.headers;
  const head = readHead(record.value);
  const coordinate = formatDlqCoordinate(record);
  const schema = text(head.schema) ?? headerText(h, DeliveryHeaders.schema) ?? null;
  const parts = schema ? SCHEMA.exec(schema) : null;
  return {
    coordinate,
    deliveryId: headerText(h, DeliveryHeaders.deliveryId) ?? coordinate,
    canonicalId: text(head.id),
    revision: text(head.revision),
    sourceEventId: text(head.source?.eventId),
    council: text(head.council?.slug),
    domain: parts?.[1] ?? null,
    entity: parts ? `${parts[1]}.${parts[2]}` : null,
    code: headerText(h, DlqHeaders.code) ?? null,
    reason: headerText(h, DlqHeaders.reason) ?? null,
    attempts: int(headerText(h, DeliveryDlqHeaders.attempts)),
    status: int(headerText(h, DeliveryDlqHeaders.status)),
    failedAt: headerText(h, DlqHeaders.failedAt) ?? null,
    record,
  };
}

/** True for the headers the delivery worker adds to a DLQ record besides the platform's hub_error_*. */
export function isDeliveryDlqHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === DeliveryDlqHeaders.attempts || lower === DeliveryDlqHeaders.status;
}

/**
 * The record to put back on `hub.delivery.<destination>`: the original key, value and delivery headers
 * (hub_delivery_id, hub_route_id, hub_agreement_id, hub_destination, hub_schema, ...), minus what the DLQ
 * added (hub_error_*, hub_source_*, hub_failed_at, hub_delivery_attempts, hub_delivery_status) and any
 * earlier replay's hub_replay_*, plus `hub_replay_of` (these coordinates) and `hub_replay_id`.
 * Built on the council-DLQ replay's {@link replayMessage}.
 */
export function destinationReplayMessage(
  dead: DeadLetterRecord,
  deliveryTopic: string,
  replayId: string,
): OutboundMessage {
  const message = replayMessage(dead, deliveryTopic, replayId);
  const headers = { ...message.headers };
  for (const name of Object.keys(headers)) if (isDeliveryDlqHeader(name)) delete headers[name];
  return { ...message, headers };
}

/** Why a requested dead letter was not replayed. */
export type DestinationSkipReason = 'already-replayed' | 'not-found' | 'limit';

/** One delivery id that was not replayed, and why. */
export interface DestinationReplaySkip {
  deliveryId: string;
  reason: DestinationSkipReason;
  message: string;
  /** The coordinates of the dead letter concerned, when there is one. */
  replayOf?: string;
  /** The replay that already replayed it, when known. */
  earlierReplayId?: string;
}

/** What to replay and what to report as skipped. */
export interface DestinationReplayPlan {
  toReplay: DestinationDeadLetter[];
  skipped: DestinationReplaySkip[];
}

/**
 * Chooses the dead letters to replay. Dead letters are grouped by delivery id (a record replayed, then
 * refused again, has several, at different coordinates); per delivery id the LATEST dead letter not yet
 * replayed is replayed, and a delivery id whose dead letters were all replayed is skipped as
 * `already-replayed`. `deliveryIds` absent: every delivery id in the DLQ; present: those, in that order,
 * each unknown one skipped as `not-found`. At most `limit` are replayed; the rest are skipped as `limit`.
 *
 * @param deadLetters in DLQ order (per partition, by offset).
 * @param replayedBy the replay id that already replayed a coordinate ('' when unknown), or undefined.
 */
export function planDestinationReplay(
  deadLetters: readonly DestinationDeadLetter[],
  replayedBy: (coordinate: string) => string | undefined,
  deliveryIds?: readonly string[],
  limit = MAX_DESTINATION_REPLAY,
): DestinationReplayPlan {
  const groups = new Map<string, DestinationDeadLetter[]>();
  for (const d of deadLetters) {
    const group = groups.get(d.deliveryId);
    if (group) group.push(d);
    else groups.set(d.deliveryId, [d]);
  }
  const wanted = deliveryIds ? [...new Set(deliveryIds)] : [...groups.keys()];
  const toReplay: DestinationDeadLetter[] = [];
  const skipped: DestinationReplaySkip[] = [];
  for (const deliveryId of wanted) {
    const group = groups.get(deliveryId);
    if (!group) {
      skipped.push({
        deliveryId,
        reason: 'not-found',
        message: "No dead letter with this delivery id is in this destination's DLQ.",
      });
      continue;
    }
    const pending = group.filter((d) => replayedBy(d.coordinate) === undefined);
    const latest = pending[pending.length - 1];
    if (!latest) {
      const last = group[group.length - 1];
      const earlier = replayedBy(last.coordinate) || undefined;
      skipped.push({
        deliveryId,
        reason: 'already-replayed',
        message: `Already replayed${earlier ? ` (replay ${earlier})` : ''}; a dead letter is replayed at most once.`,
        replayOf: last.coordinate,
        ...(earlier ? { earlierReplayId: earlier } : {}),
      });
      continue;
    }
    if (toReplay.length >= limit) {
      skipped.push({
        deliveryId,
        reason: 'limit',
        message: `Not replayed: one request replays at most ${limit}; send it again for the rest.`,
        replayOf: latest.coordinate,
      });
      continue;
    }
    toReplay.push(latest);
  }
  return { toReplay, skipped };
}

/** Reads the body of `POST /api/destinations/{id}/dlq/replay`: `{}` / no body, or `{ "deliveryIds": [...] }`. */
export function parseDestinationReplayRequest(
  body: unknown,
): { ok: true; deliveryIds?: string[] } | { ok: false; message: string } {
  if (body === undefined || body === null || body === '') return { ok: true };
  if (typeof body !== 'object' || Array.isArray(body))
    return { ok: false, message: 'Send a JSON object: {} or {"deliveryIds": [...]}.' };
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => k !== 'deliveryIds');
  if (unknown.length)
    return { ok: false, message: `The body does not take ${unknown.join(', ')}; only "deliveryIds".` };
  const ids = record.deliveryIds;
  if (ids === undefined) return { ok: true };
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_DESTINATION_REPLAY)
    return {
      ok: false,
      message: `"deliveryIds" must be a list of 1 to ${MAX_DESTINATION_REPLAY} delivery ids (from GET /api/destinations/{id}/dlq), or left out for all.`,
    };
  const bad = ids.filter((id) => typeof id !== 'string' || id.length === 0 || id.length > 300);
  if (bad.length)
    return { ok: false, message: `"deliveryIds" must hold delivery id strings; ${bad.length} do not.` };
  return { ok: true, deliveryIds: ids as string[] };
}
