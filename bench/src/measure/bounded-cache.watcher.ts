import type { BenchHub } from '../hub/bench-hub.launcher';
import { metricSum, scrapeMetrics } from './hub-metrics.scraper';

/** How full an app's bounded in-memory maps were, and since when they have been full. */
export interface BoundedCacheFill {
  entries: number;
  capacity: number;
  /** When the map first reached its capacity (ms since epoch), if it did during the watch. */
  fullAtMs?: number;
}

const POLL_MS = 2_000;

/**
 * Polls the ingest's `hub_ingest_recent_outcomes{map="transformed"}` against its capacity while a scenario
 * runs. The ingest keeps a bounded memory of recent outcomes (200 000 revisions by default, tens of MB), so
 * its RSS rises until that map is full and must level off after: the memory verdict is judged from then on
 * (see memoryTrends).
 */
export class BoundedCacheWatcher {
  private readonly fills = new Map<string, BoundedCacheFill>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly hub: BenchHub) {}

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
  }

  /** Stops polling, polls one last time and answers each watched app's fill. */
  async stop(): Promise<Record<string, BoundedCacheFill>> {
    clearInterval(this.timer);
    await this.poll();
    return Object.fromEntries(this.fills);
  }

  private async poll(): Promise<void> {
    const ingests = this.hub.running().filter((p) => p.name.replace(/-i\d+$/, '') === 'ingest');
    await Promise.all(
      ingests.map(async (p) => {
        const snapshot = await scrapeMetrics(p.url);
        const capacity = metricSum(snapshot, 'hub_ingest_recent_outcomes_capacity');
        if (capacity <= 0) return; // nothing committed yet, or the app did not answer
        const entries = metricSum(snapshot, 'hub_ingest_recent_outcomes', 'map="transformed"');
        const known = this.fills.get(p.name);
        const fullAtMs = known?.fullAtMs ?? (entries >= capacity ? Date.now() : undefined);
        this.fills.set(p.name, { entries, capacity, fullAtMs });
      }),
    );
  }
}
