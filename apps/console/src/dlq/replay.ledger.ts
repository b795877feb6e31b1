/**
 * What this console process replayed recently, by rejection id and by DLQ coordinates. The audit log is
 * the record of replays, but it is written asynchronously (hub.audit.v1 -> audit writer -> Postgres);
 * this closes the gap of a few seconds in which a second replay of the same dead letter would not yet
 * see the first one there. Entries expire after `keepMs`; the map is bounded by `maxEntries`.
 */
export class ReplayLedger {
  private readonly entries = new Map<string, { at: number; replayId: string }>();

  constructor(
    private readonly keepMs = 15 * 60_000,
    private readonly maxEntries = 100_000,
    private readonly clock: () => number = Date.now,
  ) {}

  record(keys: readonly string[], replayId: string): void {
    const at = this.clock();
    for (const key of keys) this.entries.set(key, { at, replayId });
    this.prune(at);
  }

  /** The replay id that replayed `key` recently, if any. */
  replayOf(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock() - entry.at > this.keepMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.replayId;
  }

  private prune(now: number): void {
    // Insertion order is time order: drop from the front.
    for (const [key, entry] of this.entries) {
      if (now - entry.at <= this.keepMs && this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
