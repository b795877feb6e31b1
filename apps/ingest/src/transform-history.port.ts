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

/** What a store knows about earlier transforms of a batch's events and records. */
export interface PriorTransforms {
  /** Revision (uuid v5 of council + ce_id) of each event already transformed → the canonical id it produced. */
  revisions: ReadonlyMap<string, string>;
  /** Canonical id → its newest transformed revision by source event time. */
  newest: ReadonlyMap<string, NewestRevision>;
}

/**
 * The durable memory of what the ingest has transformed: the `transformed` events of the audit log. One
 * call answers a whole batch (one round trip). It throws when the store cannot answer; the batch then
 * fails and is retried from the committed offset, because delivering without the check could deliver a
 * re-sent event twice.
 */
export interface TransformHistory {
  find(revisions: readonly string[], canonicalIds: readonly string[]): Promise<PriorTransforms>;
}

/** Injection token of the {@link TransformHistory}. */
export const TRANSFORM_HISTORY = Symbol('TRANSFORM_HISTORY');
