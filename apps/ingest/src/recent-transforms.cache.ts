import { NewestRevision, RejectedEvent, TransformedEvent } from './transform-history.port';

/**
 * Entries kept by default, per map. About 150 bytes each (two uuid strings and a Map slot), so the two
 * transform maps hold roughly 60 MB at most: minutes of peak traffic, far longer than the audit writer's
 * lag. Rejections (about 300 bytes: a payload hash and an audit event id besides the revision) are a small
 * share of traffic, so their map rarely fills.
 */
export const DEFAULT_RECENT_TRANSFORMS = 200_000;

/** A Map that forgets its least recently written entry once it holds `capacity` entries. */
class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    // Re-inserting moves the key to the end, so eviction takes the entry written longest ago.
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The events this ingest process has transformed or rejected and committed recently. It covers the seconds
 * before the audit writer has stored their `transformed` and `rejected` events in Postgres; the audit log
 * covers everything older. Only committed batches may be added (see TransformBatchUseCase.committed): an
 * aborted transaction's records were never delivered nor dead-lettered, and remembering them would drop
 * their retry as a duplicate.
 */
export class RecentTransforms {
  private readonly revisions: BoundedMap<string, string>;
  private readonly newest: BoundedMap<string, NewestRevision>;
  /** Keyed by revision and payload hash: only an identical re-send is a duplicate of a rejection. */
  private readonly rejections: BoundedMap<string, RejectedEvent>;

  constructor(readonly capacity = DEFAULT_RECENT_TRANSFORMS) {
    this.revisions = new BoundedMap(capacity);
    this.newest = new BoundedMap(capacity);
    this.rejections = new BoundedMap(capacity);
  }

  /** The canonical id an already transformed revision produced, if this process remembers it. */
  canonicalIdOf(revision: string): string | undefined {
    return this.revisions.get(revision);
  }

  /** The newest transformed revision of a canonical record this process remembers. */
  newestOf(canonicalId: string): NewestRevision | undefined {
    return this.newest.get(canonicalId);
  }

  /** The rejection of this revision with this payload this process remembers. */
  rejectionOf(revision: string, payloadSha256: string): RejectedEvent | undefined {
    return this.rejections.get(rejectionKey(revision, payloadSha256));
  }

  remember(events: readonly TransformedEvent[], rejected: readonly RejectedEvent[] = []): void {
    for (const e of events) {
      this.revisions.set(e.revision, e.canonicalId);
      const known = this.newest.get(e.canonicalId);
      if (!known || known.eventTimeMs <= e.eventTimeMs) {
        this.newest.set(e.canonicalId, {
          revision: e.revision,
          eventTime: e.eventTime,
          eventTimeMs: e.eventTimeMs,
        });
      }
    }
    // The first rejection stays the one pointed at: it is the dead letter the console lists and replays.
    for (const r of rejected) {
      const key = rejectionKey(r.revision, r.payloadSha256);
      if (!this.rejections.get(key)) this.rejections.set(key, r);
    }
  }

  /** Transformed revisions remembered. */
  get size(): number {
    return this.revisions.size;
  }

  /** Rejections remembered. */
  get rejectionCount(): number {
    return this.rejections.size;
  }

  /** Canonical records whose newest revision is remembered. */
  get recordCount(): number {
    return this.newest.size;
  }
}

function rejectionKey(revision: string, payloadSha256: string): string {
  return `${revision}\u001f${payloadSha256}`;
}
