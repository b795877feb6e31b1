/** One sample of the ingest's lag: per feed (`council.domain`), messages behind. */
export interface LagSample {
  at: number;
  byFeed: ReadonlyMap<string, number>;
}

/**
 * The ingest's consumer lag over the last hour, kept in memory: the broker only knows the lag now, and
 * the dashboard's lag chart needs a past. Samples closer than `minSpacingMs` are dropped, so the
 * buffer stays small (an hour at 10 s spacing is 360 samples) however often snapshots are taken.
 */
export class LagHistory {
  private readonly samples: LagSample[] = [];

  constructor(
    private readonly keepMs = 3_600_000,
    private readonly minSpacingMs = 10_000,
  ) {}

  add(at: number, byFeed: ReadonlyMap<string, number>): void {
    const last = this.samples[this.samples.length - 1];
    if (last && at - last.at < this.minSpacingMs) return;
    this.samples.push({ at, byFeed });
    while (this.samples.length > 0 && this.samples[0].at < at - this.keepMs) this.samples.shift();
  }

  /**
   * Per-bucket maximum of the summed lag of the feeds `include` accepts, for buckets starting at `from`;
   * null for buckets without a sample (the console was not running or nobody asked).
   */
  series(
    from: number,
    bucketMs: number,
    buckets: number,
    include: (feedKey: string) => boolean,
  ): Array<number | null> {
    const out: Array<number | null> = new Array<number | null>(buckets).fill(null);
    for (const s of this.samples) {
      const i = Math.floor((s.at - from) / bucketMs);
      if (i < 0 || i >= buckets) continue;
      let total = 0;
      for (const [key, lag] of s.byFeed) if (include(key)) total += lag;
      out[i] = Math.max(out[i] ?? 0, total);
    }
    return out;
  }
}
