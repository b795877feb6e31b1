/** The newest source event already transformed for one canonical record. */
export interface NewestRevision {
  revision: string;
  /** `ce_time` as the source sent it. */
  eventTime: string;
  /** `ce_time` in milliseconds since the epoch: what the order rule compares. */
  eventTimeMs: number;
}

/** One transformed source event, as the duplicate and order rules remember it. */
export interface TransformedEvent extends NewestRevision {
  canonicalId: string;
}

/**
 * One rejected copy of an authorised source event (its envelope and source passed, so it has a
 * revision), as the duplicate rule remembers it: an identical re-send (same revision, same payload hash)
 * is a duplicate of it rather than a second dead letter.
 */
export interface RejectedEvent {
  revision: string;
  /** `payloadSha256` of the rejected copy's value: what tells an identical re-send from a correction. */
  payloadSha256: string;
  /** The rejection's error code (as on its DLQ record). */
  code: string;
  /** Event id of the `rejected` audit event: the dead letter as the console lists and replays it. */
  eventId: string;
}

/** What a store knows about earlier transforms and rejections of a batch's events and records. */
export interface PriorTransforms {
  /** Revision (uuid v5 of council + ce_id) of each event already transformed → the canonical id it produced. */
  revisions: ReadonlyMap<string, string>;
  /** Canonical id → its newest transformed revision by source event time. */
  newest: ReadonlyMap<string, NewestRevision>;
  /** Revision → its rejections, the first one per distinct payload. */
  rejections: ReadonlyMap<string, readonly RejectedEvent[]>;
}

/**
 * The durable memory of what the ingest has decided: the `transformed` and `rejected` events of the
 * audit log. One call answers a whole batch (one round trip): for `revisions`, whether each was
 * transformed and how it was rejected; for `canonicalIds`, the newest transformed revision. It throws
 * when the store cannot answer; the batch then fails and is retried from the committed offset, because
 * delivering without the check could deliver a re-sent event twice.
 */
export interface TransformHistory {
  find(revisions: readonly string[], canonicalIds: readonly string[]): Promise<PriorTransforms>;
}

/** Injection token of the {@link TransformHistory}. */
export const TRANSFORM_HISTORY = Symbol('TRANSFORM_HISTORY');
