import type { Pool } from 'pg';
import { activitySeries } from '@hub/audit';
import { Principal, councilScope } from '../auth/principal';
import { FeedHealthService } from '../feeds/feed-health.service';
import { SnapshotCache } from '../feeds/snapshot.cache';

/** One point of the dashboard's charts. */
export interface SeriesPoint {
  at: string;
  /** Records received in the bucket. */
  received: number;
  /** Records rejected (sent to the DLQ) in the bucket. */
  rejected: number;
  delivered: number;
  /** p95 of delivery latency (ms) in the bucket; null without deliveries. */
  latencyP95Ms: number | null;
  /** Highest ingest lag sampled in the bucket (messages); null when not sampled. */
  lag: number | null;
}

/** The answer of `GET /api/dashboard/series`. */
export interface DashboardSeries {
  generatedAt: string;
  bucketSeconds: number;
  points: SeriesPoint[];
}

const WINDOW_MS = 60 * 60_000;
const BUCKET_SECONDS = 60;

/**
 * The last hour per minute for the dashboard's charts: throughput, errors and latency from the audit
 * log, lag from the console's own samples of the broker. Cached ~5 s per scope (all, or one council).
 */
export class DashboardSeriesService {
  private readonly caches = new Map<string, SnapshotCache<DashboardSeries>>();

  constructor(
    private readonly pool: Pool,
    private readonly feeds: FeedHealthService,
    private readonly clock: () => Date = () => new Date(),
    private readonly cacheMs = 5_000,
  ) {}

  forPrincipal(principal: Principal): Promise<DashboardSeries> {
    const scope = councilScope(principal);
    const key = scope ?? '*';
    let cache = this.caches.get(key);
    if (!cache) {
      cache = new SnapshotCache(this.cacheMs, () => this.compute(scope));
      this.caches.set(key, cache);
    }
    return cache.get();
  }

  private async compute(council: string | undefined): Promise<DashboardSeries> {
    const now = this.clock().getTime();
    const bucketMs = BUCKET_SECONDS * 1000;
    // Whole minutes, so consecutive answers line up.
    const to = Math.floor(now / bucketMs) * bucketMs + bucketMs;
    const from = to - WINDOW_MS;
    const buckets = await activitySeries(this.pool, {
      from: new Date(from),
      to: new Date(to),
      bucketSeconds: BUCKET_SECONDS,
      council,
    });
    const lag = this.feeds.lagHistory.series(
      from,
      bucketMs,
      buckets.length,
      (feed) => council === undefined || feed.startsWith(`${council}.`),
    );
    return {
      generatedAt: new Date(now).toISOString(),
      bucketSeconds: BUCKET_SECONDS,
      points: buckets.map((b, i) => ({ ...b, lag: lag[i] ?? null })),
    };
  }
}
