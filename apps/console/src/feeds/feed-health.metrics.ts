import { Gauge, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { FeedHealthService, FeedHealthSnapshot } from './feed-health.service';
import { FeedStatus } from './feed-status.rules';

/** Metric names the console adds to the hub's (deploy/prometheus/alert-rules.yml uses them). */
export const FeedMetricNames = {
  consumerLag: 'hub_consumer_lag',
  lastRecordAge: 'hub_feed_last_record_age_seconds',
  cadence: 'hub_feed_cadence_seconds',
  dlqDepth: 'hub_feed_dlq_depth',
  status: 'hub_feed_status',
} as const;

const STATUSES: FeedStatus[] = ['ok', 'late', 'failing', 'silent', 'inactive'];

/**
 * Gauges computed from the feed health snapshot when Prometheus scrapes the console. Labels are council,
 * domain, group and status: bounded sets from configuration, never record ids.
 */
export function registerFeedHealthMetrics(
  registry: Registry,
  health: FeedHealthService,
  logger: Logger,
): void {
  // The gauges share the service's snapshot (cached ~2 s, one computation in flight), so a scrape costs one.
  const safely = async (fill: (s: FeedHealthSnapshot) => void) => {
    try {
      fill(await health.snapshot());
    } catch (error) {
      // A scrape must not fail because Postgres is down: the gauges keep their last values.
      logger.warn({ err: error }, 'feed health metrics not refreshed');
    }
  };

  new Gauge({
    name: FeedMetricNames.consumerLag,
    help: 'Messages on a council topic not yet consumed by the ingest consumer group (end offset minus committed offset)',
    labelNames: ['group', 'council', 'domain'] as const,
    registers: [registry],
    async collect() {
      await safely((s) => {
        for (const f of s.feeds)
          if (f.consumerLag !== null)
            this.set({ group: s.consumerGroup, council: f.council, domain: f.domain }, f.consumerLag);
      });
    },
  });
  new Gauge({
    name: FeedMetricNames.lastRecordAge,
    help: 'Seconds since the feed last delivered a record to the hub (absent for feeds that never did)',
    labelNames: ['council', 'domain'] as const,
    registers: [registry],
    async collect() {
      await safely((s) => {
        for (const f of s.feeds)
          if (f.secondsSinceLastRecord !== null)
            this.set({ council: f.council, domain: f.domain }, f.secondsSinceLastRecord);
      });
    },
  });
  new Gauge({
    name: FeedMetricNames.cadence,
    help: 'Expected seconds between records of the feed, from config/partnership',
    labelNames: ['council', 'domain', 'member'] as const,
    registers: [registry],
    async collect() {
      await safely((s) => {
        for (const f of s.feeds)
          if (f.active)
            this.set({ council: f.council, domain: f.domain, member: String(f.member) }, f.cadenceSeconds);
      });
    },
  });
  new Gauge({
    name: FeedMetricNames.dlqDepth,
    help: 'Dead letters of the feed not yet replayed (from the audit log)',
    labelNames: ['council', 'domain'] as const,
    registers: [registry],
    async collect() {
      await safely((s) => {
        for (const f of s.feeds) if (f.active) this.set({ council: f.council, domain: f.domain }, f.dlqDepth);
      });
    },
  });
  new Gauge({
    name: FeedMetricNames.status,
    help: 'Feed status as the console computes it: 1 for the current status, 0 for the others',
    labelNames: ['council', 'domain', 'status'] as const,
    registers: [registry],
    async collect() {
      await safely((s) => {
        for (const f of s.feeds)
          for (const status of STATUSES)
            this.set({ council: f.council, domain: f.domain, status }, f.status === status ? 1 : 0);
      });
    },
  });
}
