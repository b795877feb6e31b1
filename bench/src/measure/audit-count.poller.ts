import { Pool } from 'pg';

/**
 * Polls how many `delivered` audit rows the audit writer has committed in one schema (every 500 ms, every
 * 100 ms near the target), recording per-second growth for the chart and when the target was reached.
 */
export class AuditCountPoller {
  count = 0;
  readonly perSecond = new Map<number, number>();
  reachedAtMs?: number;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private base = 0;
  private target = Number.POSITIVE_INFINITY;
  private onReached?: (at: number) => void;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /** Current number of `delivered` rows (all time). */
  async total(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${this.schema}".audit_event WHERE stage = 'delivered'`,
    );
    return Number(rows[0]!.n);
  }

  /** Starts counting from the current total; resolves `done` when `target` more rows exist. */
  async start(target: number): Promise<void> {
    this.base = await this.total();
    this.target = target;
    this.count = 0;
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      try {
        const now = Date.now();
        const total = (await this.total()) - this.base;
        const second = Math.floor(now / 1000);
        this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + (total - this.count));
        this.count = total;
        if (total >= this.target && this.reachedAtMs === undefined) {
          this.reachedAtMs = now;
          this.onReached?.(now);
        }
      } catch {
        // the database is busy or restarting: try again on the next tick
      }
      if (!this.stopped)
        this.timer = setTimeout(() => void tick(), this.count >= this.target * 0.95 ? 100 : 500);
    };
    await tick();
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
