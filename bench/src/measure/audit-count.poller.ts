import { Pool } from 'pg';
import { metricSum, scrapeMetrics } from './hub-metrics.scraper';

/** The audit writer's counter of committed audit events, by stage. */
const WRITTEN_METRIC = 'hub_audit_events_written_total';
const DELIVERED = 'stage="delivered"';

/**
 * Follows how many `delivered` audit rows the audit writer has committed in one schema (every 500 ms, every
 * 100 ms near the target), recording per-second growth for the chart and when the target was reached.
 *
 * It reads the audit writer's own counter (`hub_audit_events_written_total{stage="delivered"}`, counted
 * after each commit) from its /metrics, and asks Postgres only twice: for the starting count, and to confirm
 * the target once the counter says it is reached. Counting the rows in Postgres twice a second, as it did
 * before, made the database re-read every delivered row of a growing table while it was being measured:
 * in a 60 s run at 2,000/s that was about a quarter of Postgres' CPU (bench/README.md, session 6). Without
 * a writer URL, or when its counter goes backwards (a restarted writer), it counts in Postgres as before.
 */
export class AuditCountPoller {
  count = 0;
  readonly perSecond = new Map<number, number>();
  reachedAtMs?: number;
  /** How the count was followed: the writer's counter, or Postgres rows (fallback). */
  source: 'writer metrics' | 'postgres' = 'postgres';
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private base = 0;
  private metricBase?: number;
  private lastMetric = 0;
  private target = Number.POSITIVE_INFINITY;
  private onReached?: (at: number) => void;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    /** Base URLs of the running audit writers (their /metrics); none: count in Postgres. */
    private readonly writerUrls: () => ReadonlyArray<string | undefined> = () => [],
  ) {}

  /** Current number of `delivered` rows (all time), counted in Postgres. */
  async total(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${this.schema}".audit_event WHERE stage = 'delivered'`,
    );
    return Number(rows[0]!.n);
  }

  /** `delivered` events the running writers have committed since they started; undefined if none answers. */
  private async writtenByWriters(): Promise<number | undefined> {
    const urls = this.writerUrls().filter((u): u is string => u !== undefined);
    if (urls.length === 0) return undefined;
    const snapshots = await Promise.all(urls.map((url) => scrapeMetrics(url)));
    if (snapshots.some((s) => s.size === 0)) return undefined;
    return snapshots.reduce((sum, s) => sum + metricSum(s, WRITTEN_METRIC, DELIVERED), 0);
  }

  /** Starts counting from the current total; resolves `done` when `target` more rows exist. */
  async start(target: number): Promise<void> {
    this.base = await this.total();
    this.metricBase = await this.writtenByWriters();
    this.lastMetric = this.metricBase ?? 0;
    this.source = this.metricBase === undefined ? 'postgres' : 'writer metrics';
    this.target = target;
    this.count = 0;
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      try {
        const now = Date.now();
        const total = await this.current();
        if (total !== undefined) {
          const second = Math.floor(now / 1000);
          this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + (total - this.count));
          this.count = total;
          if (total >= this.target && this.reachedAtMs === undefined && (await this.confirmed())) {
            this.reachedAtMs = now;
            this.onReached?.(now);
          }
        }
      } catch {
        // the database or the writer is busy or restarting: try again on the next tick
      }
      if (!this.stopped)
        this.timer = setTimeout(() => void tick(), this.count >= this.target * 0.95 ? 100 : 500);
    };
    await tick();
  }

  /** Delivered rows committed since start, from the writers' counter (or Postgres); undefined: ask again. */
  private async current(): Promise<number | undefined> {
    if (this.source === 'writer metrics') {
      const written = await this.writtenByWriters();
      if (written === undefined) return undefined;
      if (written >= this.lastMetric) {
        this.lastMetric = written;
        return written - this.metricBase!;
      }
      // A writer restarted and its counter began again: count rows from here on.
      this.source = 'postgres';
    }
    return (await this.total()) - this.base;
  }

  /** The counter says the target is reached: true once Postgres holds the rows too. */
  private async confirmed(): Promise<boolean> {
    if (this.source === 'postgres') return true;
    return (await this.total()) - this.base >= this.target;
  }

  /** Resolves with the time the target was reached, or undefined after `timeoutMs`. */
  waitForTarget(timeoutMs: number): Promise<number | undefined> {
    if (this.reachedAtMs !== undefined) return Promise.resolve(this.reachedAtMs);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.onReached = (at) => {
        clearTimeout(timer);
        resolve(at);
      };
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
