import type { FeedStatus } from '../feeds/feed-status.rules';
import type { DestinationStatus } from '../destinations/destination-status.rules';

/**
 * Alert rules: pure functions from feed and destination health to the alerts an operator must act on.
 * The same conditions ship as Prometheus rules in deploy/prometheus/alert-rules.yml for deployments
 * that page from Alertmanager; these are what the dashboard shows.
 */

export type AlertKind = 'stale-feed' | 'dlq-growth' | 'consumer-lag' | 'destination-down';
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** One active alert. `id` is stable while the condition holds (the dashboard keys on it). */
export interface Alert {
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  summary: string;
  council?: string;
  domain?: string;
  destination?: string;
  value?: number;
  threshold?: number;
}

/** Thresholds of the alert rules, written once with their defaults. */
export interface AlertThresholds {
  /** Rejections of one feed in the last 5 minutes above which the DLQ is growing too fast. */
  dlqGrowthPer5m: number;
  /** Messages of ingest lag on one feed above which it is backing up. */
  consumerLag: number;
}

export const DEFAULT_ALERT_THRESHOLDS: Readonly<AlertThresholds> = Object.freeze({
  dlqGrowthPer5m: 5,
  consumerLag: 1000,
});

/** What the rules read of a feed. */
export interface FeedAlertInput {
  council: string;
  domain: string;
  member: boolean;
  active: boolean;
  status: FeedStatus;
  cadence: string;
  secondsSinceLastRecord: number | null;
  rejected5m: number;
  consumerLag: number | null;
}

/** What the rules read of a destination. */
export interface DestinationAlertInput {
  id: string;
  status: DestinationStatus;
  failed5m: number;
  lastSuccessAt: string | null;
}

/**
 * Evaluates every rule. Feeds of non-members (onboarding examples) and inactive domains never alert:
 * nobody expects their records yet.
 */
export function evaluateAlerts(
  feeds: readonly FeedAlertInput[],
  destinations: readonly DestinationAlertInput[],
  thresholds: Readonly<AlertThresholds> = DEFAULT_ALERT_THRESHOLDS,
): Alert[] {
  const alerts: Alert[] = [];
  for (const f of feeds) {
    if (!f.member || !f.active) continue;
    const where = { council: f.council, domain: f.domain };
    const name = `${f.council} ${f.domain}`;
    if (f.status === 'late') {
      alerts.push({
        id: `stale-feed:${f.council}.${f.domain}`,
        kind: 'stale-feed',
        severity: 'warning',
        summary: `The ${name} feed is late: no record for ${Math.round((f.secondsSinceLastRecord ?? 0) / 60)} min (expected every ${f.cadence}).`,
        ...where,
        value: f.secondsSinceLastRecord ?? undefined,
      });
    } else if (f.status === 'silent') {
      alerts.push({
        id: `stale-feed:${f.council}.${f.domain}`,
        kind: 'stale-feed',
        severity: 'info',
        summary: `The ${name} feed has never sent a record.`,
        ...where,
      });
    }
    if (f.rejected5m > thresholds.dlqGrowthPer5m) {
      alerts.push({
        id: `dlq-growth:${f.council}.${f.domain}`,
        kind: 'dlq-growth',
        severity: 'warning',
        summary: `${f.rejected5m} ${name} records went to the DLQ in the last 5 minutes (threshold ${thresholds.dlqGrowthPer5m}).`,
        ...where,
        value: f.rejected5m,
        threshold: thresholds.dlqGrowthPer5m,
      });
    }
    if (f.consumerLag !== null && f.consumerLag > thresholds.consumerLag) {
      alerts.push({
        id: `consumer-lag:${f.council}.${f.domain}`,
        kind: 'consumer-lag',
        severity: 'warning',
        summary: `The ingest is ${f.consumerLag} messages behind on the ${name} topic (threshold ${thresholds.consumerLag}).`,
        ...where,
        value: f.consumerLag,
        threshold: thresholds.consumerLag,
      });
    }
  }
  for (const d of destinations) {
    if (d.status !== 'down') continue;
    alerts.push({
      id: `destination-down:${d.id}`,
      kind: 'destination-down',
      severity: 'critical',
      summary: `Destination ${d.id} is down: ${d.failed5m} deliveries failed in the last 5 minutes and none succeeded${
        d.lastSuccessAt ? ` (last success ${d.lastSuccessAt})` : ''
      }.`,
      destination: d.id,
      value: d.failed5m,
    });
  }
  const rank: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };
  return alerts.sort((a, b) => rank[a.severity] - rank[b.severity] || a.id.localeCompare(b.id));
}
