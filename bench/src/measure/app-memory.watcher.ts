import type { BenchHub } from '../hub/bench-hub.launcher';
import { metricSum, scrapeMetrics } from './hub-metrics.scraper';

/** How full an app's bounded in-memory maps were, and since when they have been full. */
export interface BoundedCacheFill {
  entries: number;
  capacity: number;
  /** When the map first reached its capacity (ms since epoch), if it did during the watch. */
  fullAtMs?: number;
}

/**
 * One reading of an app's V8 heap in use (`nodejs_heap_size_used_bytes`) and of the memory its JavaScript
 * objects hold outside that heap (`nodejs_external_memory_bytes`: Buffers, such as fetched record batches), MB.
 */
export interface HeapSample {
  t: number;
  heapUsedMb: number;
  /** V8 heap committed (`nodejs_heap_size_total_bytes`): the heap in use plus what V8 keeps for new objects. */
  heapTotalMb?: number;
  externalMb?: number;
}

/** What an AppMemoryWatcher saw, by app process name. */
export interface AppMemoryReadings {
  caches: Record<string, BoundedCacheFill>;
  heap: Record<string, HeapSample[]>;
}

const POLL_MS = 2_000;

/**
 * Polls every running hub app's `/metrics` while a scenario runs, for what RSS alone cannot tell:
 * - the ingest's `hub_ingest_recent_outcomes{map="transformed"}` against its capacity. The ingest keeps a
 *   bounded memory of recent outcomes (200 000 revisions by default, tens of MB), so its RSS rises until
 *   that map is full and must level off after: the memory verdict is judged from then on (memoryTrends);
 * - each app's V8 heap in use. Its lowest readings are the live heap just after a garbage collection:
 *   if those stay level while RSS rises, V8 is sizing its heap for garbage, and nothing is leaking;
 * - each app's V8 heap committed: the heap in use plus the room V8 keeps for new objects;
 * - each app's external memory (Buffers), which RSS holds but the V8 heap does not count.
 */
export class AppMemoryWatcher {
  private readonly fills = new Map<string, BoundedCacheFill>();
  private readonly heap = new Map<string, HeapSample[]>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly hub: BenchHub) {}

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
  }

  /** Stops polling, polls one last time and answers what was seen. */
  async stop(): Promise<AppMemoryReadings> {
    clearInterval(this.timer);
    await this.poll();
    return { caches: Object.fromEntries(this.fills), heap: Object.fromEntries(this.heap) };
  }

  private async poll(): Promise<void> {
    await Promise.all(
      this.hub.running().map(async (p) => {
        const snapshot = await scrapeMetrics(p.url);
        const t = Date.now();
        const heapUsed = metricSum(snapshot, 'nodejs_heap_size_used_bytes');
        if (heapUsed > 0) {
          const list = this.heap.get(p.name) ?? [];
          const external = metricSum(snapshot, 'nodejs_external_memory_bytes');
          const heapTotal = metricSum(snapshot, 'nodejs_heap_size_total_bytes');
          list.push({
            t,
            heapUsedMb: heapUsed / 1_048_576,
            ...(heapTotal > 0 ? { heapTotalMb: heapTotal / 1_048_576 } : {}),
            ...(external > 0 ? { externalMb: external / 1_048_576 } : {}),
          });
          this.heap.set(p.name, list);
        }
        const capacity = metricSum(snapshot, 'hub_ingest_recent_outcomes_capacity');
        if (capacity <= 0) return; // not the ingest, nothing committed yet, or the app did not answer
        const entries = metricSum(snapshot, 'hub_ingest_recent_outcomes', 'map="transformed"');
        const known = this.fills.get(p.name);
        const fullAtMs = known?.fullAtMs ?? (entries >= capacity ? t : undefined);
        this.fills.set(p.name, { entries, capacity, fullAtMs });
      }),
    );
  }
}
