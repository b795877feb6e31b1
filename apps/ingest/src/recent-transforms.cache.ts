import { NewestRevision, TransformedEvent } from './transform-history.port';

/**
 * Entries kept by default, per map. About 150 bytes each (two uuid strings and a Map slot), so the two
 * maps hold roughly 60 MB at most: minutes of peak traffic, far longer than the audit writer's lag.
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
 * The events this ingest process has transformed and committed recently. It covers the seconds before the
 * audit writer has stored their `transformed` events in Postgres; the audit log covers everything older.
 * Only committed batches may be added (see TransformBatchUseCase.committed): an aborted transaction's
 * records were never delivered, and remembering them would drop their retry as a duplicate.
 */
export class RecentTransforms {
  private readonly revisions: BoundedMap<string, string>;
  private readonly newest: BoundedMap<string, NewestRevision>;

  constructor(capacity = DEFAULT_RECENT_TRANSFORMS) {
    this.revisions = new BoundedMap(capacity);
    this.newest = new BoundedMap(capacity);
  }

  /** The canonical id an already transformed revision produced, if this process remembers it. */
  canonicalIdOf(revision: string): string | undefined {
    return this.revisions.get(revision);
  }

  /** The newest transformed revision of a canonical record this process remembers. */
  newestOf(canonicalId: string): NewestRevision | undefined {
    return this.newest.get(canonicalId);
  }

  remember(events: readonly TransformedEvent[]): void {
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
  }

  get size(): number {
    return this.revisions.size;
  }
}
