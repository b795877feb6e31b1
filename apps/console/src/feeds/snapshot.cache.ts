/**
 * Keeps the last computed value for `ttlMs` and shares one in-flight computation between concurrent
 * callers, so many dashboards polling (or streaming) cost one set of queries per interval.
 */
export class SnapshotCache<T> {
  private value?: { at: number; data: T };
  private inFlight?: Promise<T>;

  constructor(
    private readonly ttlMs: number,
    private readonly compute: () => Promise<T>,
    private readonly clock: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const now = this.clock();
    if (this.value && now - this.value.at < this.ttlMs) return Promise.resolve(this.value.data);
    this.inFlight ??= this.compute().then(
      (data) => {
        this.value = { at: this.clock(), data };
        this.inFlight = undefined;
        return data;
      },
      (error: unknown) => {
        // A failure is not cached: the next caller tries again.
        this.inFlight = undefined;
        throw error;
      },
    );
    return this.inFlight;
  }

  /** Forgets the cached value (after a change the caller made itself, e.g. a replay). */
  invalidate(): void {
    this.value = undefined;
  }
}
