import type { Pool } from 'pg';
import { DestinationActivity, destinationActivity } from '@hub/audit';
import { TopicNames } from '@hub/platform';
import type { Destination } from '@hub/routing';
import { SnapshotCache } from '../feeds/snapshot.cache';
import { DestinationStatus, destinationStatus } from './destination-status.rules';

/**
 * Circuit state of a destination. Kafka destinations have none (the router produces to them inside
 * its own transaction); an HTTP destination's circuit lives in the delivery app, read from its
 * /health/destinations when HUB_DELIVERY_URL is set (`unknown` otherwise, or when it does not answer).
 */
export type CircuitState = 'closed' | 'half-open' | 'open' | 'paused' | 'not-applicable' | 'unknown';

/** One destination as `GET /api/destinations` answers it. */
export interface DestinationHealthView {
  id: string;
  kind: Destination['kind'];
  /** `ssc.<service>` topic for Kafka destinations; scheme and host (never path or query) for HTTP ones. */
  target: string;
  status: DestinationStatus;
  reasons: string[];
  delivered5m: number;
  delivered1h: number;
  failed5m: number;
  failed1h: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  /** Over the last hour, from detail.latencyMs of `delivered` audit events. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  circuit: CircuitState;
}

/** The answer of `GET /api/destinations`. */
export interface DestinationHealthSnapshot {
  generatedAt: string;
  destinations: DestinationHealthView[];
}

function targetOf(d: Destination, topics: TopicNames): string {
  if (d.kind === 'kafka') return topics.ssc(d.service);
  try {
    const url = new URL(d.url);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'http (invalid URL)';
  }
}

/** Destination health from `delivered` / `delivery_failed` audit events, cached ~2 s. */
export class DestinationHealthService {
  private readonly cache: SnapshotCache<DestinationHealthSnapshot>;

  constructor(
    private readonly pool: Pool,
    private readonly destinations: readonly Destination[],
    private readonly topics: TopicNames,
    private readonly clock: () => Date = () => new Date(),
    cacheMs = 2_000,
    /** The delivery app's base URL (HUB_DELIVERY_URL): where HTTP destinations' circuit states are read. */
    private readonly deliveryUrl?: string,
  ) {
    this.cache = new SnapshotCache(cacheMs, () => this.compute());
  }

  snapshot(): Promise<DestinationHealthSnapshot> {
    return this.cache.get();
  }

  private async compute(): Promise<DestinationHealthSnapshot> {
    const now = this.clock();
    const rows = await destinationActivity(
      this.pool,
      this.destinations.map((d) => d.id),
      now,
    );
    const byId = new Map<string, DestinationActivity>(rows.map((r) => [r.destination, r]));
    const circuits = await this.circuitStates();
    return {
      generatedAt: now.toISOString(),
      destinations: this.destinations.map((d): DestinationHealthView => {
        const a = byId.get(d.id);
        const counts = {
          delivered5m: a?.delivered5m ?? 0,
          delivered1h: a?.delivered1h ?? 0,
          failed5m: a?.failed5m ?? 0,
          failed1h: a?.failed1h ?? 0,
        };
        const verdict = destinationStatus(counts);
        return {
          id: d.id,
          kind: d.kind,
          target: targetOf(d, this.topics),
          status: verdict.status,
          reasons: verdict.reasons,
          ...counts,
          lastSuccessAt: a?.lastSuccessAt?.toISOString() ?? null,
          lastFailureAt: a?.lastFailureAt?.toISOString() ?? null,
          latencyP50Ms: a?.latencyP50Ms ?? null,
          latencyP95Ms: a?.latencyP95Ms ?? null,
          circuit: d.kind === 'kafka' ? 'not-applicable' : (circuits.get(d.id) ?? 'unknown'),
        };
      }),
    };
  }

  /**
   * Circuit states from the delivery app's /health/destinations. `unknown` when no address is configured
   * or the app does not answer within a second: the dashboard must not wait on it.
   */
  private async circuitStates(): Promise<Map<string, CircuitState>> {
    const states = new Map<string, CircuitState>();
    if (!this.deliveryUrl) return states;
    try {
      const response = await fetch(`${this.deliveryUrl}/health/destinations`, {
        signal: AbortSignal.timeout(1_000),
      });
      const body = (await response.json()) as {
        destinations?: Array<{ destination?: unknown; circuit?: unknown }>;
      };
      for (const d of body.destinations ?? []) {
        if (typeof d.destination === 'string' && isCircuitState(d.circuit))
          states.set(d.destination, d.circuit);
      }
    } catch {
      // Delivery app down or unreachable: leave every HTTP destination `unknown`.
    }
    return states;
  }
}

const CIRCUIT_STATES: readonly string[] = ['closed', 'half-open', 'open', 'paused'];

function isCircuitState(value: unknown): value is CircuitState {
  return typeof value === 'string' && CIRCUIT_STATES.includes(value);
}
