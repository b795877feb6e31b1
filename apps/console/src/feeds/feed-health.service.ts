import type { Pool } from 'pg';
import { FeedActivity, feedActivity } from '@hub/audit';
import { TopicNames } from '@hub/platform';
import { ConsumerLagReader } from './consumer-lag.reader';
import { FeedDefinition } from './feed-definitions';
import {
  DEFAULT_FEED_STATUS_THRESHOLDS,
  FeedStatus,
  FeedStatusThresholds,
  feedStatus,
} from './feed-status.rules';
import { LagHistory } from './lag-history';
import { SnapshotCache } from './snapshot.cache';

/** One feed as `GET /api/feeds` answers it. Counts and codes only; the audit log holds no payloads. */
export interface FeedHealthView {
  /** `<council>.<domain>` */
  key: string;
  council: string;
  domain: string;
  description: string | null;
  member: boolean;
  active: boolean;
  status: FeedStatus;
  reasons: string[];
  cadence: string;
  cadenceSeconds: number;
  lastRecordAt: string | null;
  secondsSinceLastRecord: number | null;
  records5m: number;
  records1h: number;
  rejected5m: number;
  rejected1h: number;
  /** rejected / received over the last hour. */
  errorRate1h: number | null;
  /** Rejected share of the latest `recentWindow` records. */
  errorRateRecent: number | null;
  recentRecords: number;
  recentRejected: number;
  /** Rejections not yet replayed. */
  dlqDepth: number;
  /** Messages on the council topic the ingest has not consumed yet; null when the broker did not answer. */
  consumerLag: number | null;
}

/** The answer of `GET /api/feeds`. */
export interface FeedHealthSnapshot {
  generatedAt: string;
  thresholds: FeedStatusThresholds;
  /** Consumer group whose lag is reported (the ingest's, namespaced). */
  consumerGroup: string;
  /** Why lag is missing, when it is. */
  lagError: string | null;
  feeds: FeedHealthView[];
}

export interface FeedHealthDeps {
  pool: Pool;
  definitions: readonly FeedDefinition[];
  topics: TopicNames;
  lag: ConsumerLagReader;
  thresholds?: Readonly<FeedStatusThresholds>;
  /** How long a computed snapshot is served before the next one (ms). */
  cacheMs?: number;
  clock?: () => Date;
}

/** Feed health from the audit log (a few aggregate queries) and the broker (the ingest's lag), cached ~2 s. */
export class FeedHealthService {
  readonly lagHistory = new LagHistory();
  private readonly cache: SnapshotCache<FeedHealthSnapshot>;
  private readonly thresholds: Readonly<FeedStatusThresholds>;
  private readonly clock: () => Date;

  constructor(private readonly deps: FeedHealthDeps) {
    this.thresholds = deps.thresholds ?? DEFAULT_FEED_STATUS_THRESHOLDS;
    this.clock = deps.clock ?? (() => new Date());
    this.cache = new SnapshotCache(deps.cacheMs ?? 2_000, () => this.compute());
  }

  get definitions(): readonly FeedDefinition[] {
    return this.deps.definitions;
  }

  snapshot(): Promise<FeedHealthSnapshot> {
    return this.cache.get();
  }

  invalidate(): void {
    this.cache.invalidate();
  }

  private async compute(): Promise<FeedHealthSnapshot> {
    const now = this.clock();
    const { pool, definitions, topics, lag } = this.deps;
    const active = definitions.filter((d) => d.active);
    const topicOf = (d: FeedDefinition) => topics.council(d.council, d.domain);
    const [activity, lags] = await Promise.all([
      feedActivity(pool, active, now, this.thresholds.recentWindow),
      // The broker being unreachable must not hide what the audit log knows.
      lag.read(active.map(topicOf)).then(
        (list) => ({ list, error: list.find((l) => l.error)?.error ?? null }),
        (error: unknown) => ({ list: [], error: error instanceof Error ? error.message : String(error) }),
      ),
    ]);
    const activityOf = new Map<string, FeedActivity>(activity.map((a) => [`${a.council}.${a.domain}`, a]));
    const lagOf = new Map(lags.list.map((l) => [l.topic, l.lag]));

    const feeds = definitions.map((d): FeedHealthView => {
      const key = `${d.council}.${d.domain}`;
      const a = activityOf.get(key);
      const verdict = feedStatus(
        {
          active: d.active,
          cadenceSeconds: d.cadenceSeconds,
          lastRecordAt: a?.lastReceivedAt ?? null,
          received1h: a?.received1h ?? 0,
          rejected1h: a?.rejected1h ?? 0,
          recentOutcomes: a?.recentOutcomes ?? 0,
          recentRejected: a?.recentRejected ?? 0,
        },
        now,
        this.thresholds,
      );
      return {
        key,
        council: d.council,
        domain: d.domain,
        description: d.description,
        member: d.member,
        active: d.active,
        status: verdict.status,
        reasons: verdict.reasons,
        cadence: d.cadence,
        cadenceSeconds: d.cadenceSeconds,
        lastRecordAt: a?.lastReceivedAt?.toISOString() ?? null,
        secondsSinceLastRecord: verdict.secondsSinceLastRecord,
        records5m: a?.received5m ?? 0,
        records1h: a?.received1h ?? 0,
        rejected5m: a?.rejected5m ?? 0,
        rejected1h: a?.rejected1h ?? 0,
        errorRate1h: verdict.errorRate1h,
        errorRateRecent: verdict.errorRateRecent,
        recentRecords: a?.recentOutcomes ?? 0,
        recentRejected: a?.recentRejected ?? 0,
        dlqDepth: a ? Math.max(0, a.rejectedTotal - a.replayedTotal) : 0,
        consumerLag: d.active ? (lagOf.get(topicOf(d)) ?? null) : null,
      };
    });

    const sample = new Map<string, number>();
    for (const f of feeds) if (f.consumerLag !== null) sample.set(f.key, f.consumerLag);
    if (sample.size > 0) this.lagHistory.add(now.getTime(), sample);

    return {
      generatedAt: now.toISOString(),
      thresholds: { ...this.thresholds },
      consumerGroup: lag.groupId,
      lagError: lags.error,
      feeds,
    };
  }
}
