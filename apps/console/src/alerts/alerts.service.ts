import { Principal, councilScope } from '../auth/principal';
import { DestinationHealthService } from '../destinations/destination-health.service';
import { FeedHealthService } from '../feeds/feed-health.service';
import { Alert, AlertThresholds, DEFAULT_ALERT_THRESHOLDS, evaluateAlerts } from './alert.rules';

/** The answer of `GET /api/alerts`. */
export interface AlertsSnapshot {
  generatedAt: string;
  thresholds: AlertThresholds;
  alerts: Alert[];
}

/** Evaluates the alert rules over the (cached) feed and destination health. */
export class AlertsService {
  constructor(
    private readonly feeds: FeedHealthService,
    private readonly destinations: DestinationHealthService,
    private readonly thresholds: Readonly<AlertThresholds> = DEFAULT_ALERT_THRESHOLDS,
  ) {}

  /** Active alerts the principal may see: a council sees its own feeds' alerts and no destination's. */
  async forPrincipal(principal: Principal): Promise<AlertsSnapshot> {
    const scope = councilScope(principal);
    const [feeds, destinations] = await Promise.all([
      this.feeds.snapshot(),
      scope === undefined ? this.destinations.snapshot() : Promise.resolve(undefined),
    ]);
    const visible = scope === undefined ? feeds.feeds : feeds.feeds.filter((f) => f.council === scope);
    return {
      generatedAt: feeds.generatedAt,
      thresholds: { ...this.thresholds },
      alerts: evaluateAlerts(visible, destinations?.destinations ?? [], this.thresholds),
    };
  }
}
