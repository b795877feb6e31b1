import type { Consumer, Kafka } from 'kafkajs';
import { Histogram, build } from 'hdr-histogram-js';
import { DeliveryHeaders } from '@hub/routing';

/** Options of one {@link SscArrivalCounter}. */
export interface SscArrivalOptions {
  /** Consumer group (prefix it with the run's namespace so cleanup removes it). */
  groupId: string;
  topics: readonly string[];
  /** Count only records whose canonical `source.eventId` starts with this (a scenario's ce_id prefix). */
  eventIdPrefix?: string;
  /** Record source-time-to-arrival latency (canonical `source.eventTime` to now) in an HDR histogram. */
  latency?: boolean;
  /** Remember delivery ids to detect doubles (scale-out). */
  trackDuplicates?: boolean;
}

const EVENT_ID = '"eventId":"';
const EVENT_TIME = '"eventTime":"';

function field(text: string, marker: string): string | undefined {
  const at = text.indexOf(marker);
  if (at < 0) return undefined;
  const start = at + marker.length;
  const end = text.indexOf('"', start);
  return end < 0 ? undefined : text.slice(start, end);
}

/**
 * Counts records arriving on the SSC topics, as the shared-service centre sees them: read-committed
 * (only what the router's transactions committed), from the beginning, timestamped on arrival here.
 * Per-second arrival counts feed the throughput chart; the histogram holds latencies in milliseconds.
 */
export class SscArrivalCounter {
  count = 0;
  duplicates = 0;
  readonly perSecond = new Map<number, number>();
  readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000,
    numberOfSignificantValueDigits: 3,
  });
  firstArrivalMs?: number;
  lastArrivalMs?: number;
  private readonly seen = new Set<string>();
  private consumer?: Consumer;
  private waiters: Array<{ target: number; resolve: (at: number) => void }> = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SscArrivalOptions,
  ) {}

  /** Connects and resolves once the consumer has joined its group (so no arrival is timed late). */
  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 50,
      sessionTimeout: 30_000,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        let n = 0;
        for (const m of batch.messages) {
          const text = m.value ? m.value.toString('utf8', 0, Math.min(m.value.length, 4096)) : '';
          if (this.options.eventIdPrefix && !field(text, EVENT_ID)?.startsWith(this.options.eventIdPrefix))
            continue;
          n++;
          if (this.options.latency) {
            const t = Date.parse(field(text, EVENT_TIME) ?? '');
            if (!Number.isNaN(t)) this.histogram.recordValue(Math.max(1, now - t));
          }
          if (this.options.trackDuplicates) {
            const id =
              m.headers?.[DeliveryHeaders.deliveryId]?.toString() ??
              `${batch.topic}:${m.key?.toString() ?? ''}`;
            if (this.seen.has(id)) this.duplicates++;
            else this.seen.add(id);
          }
        }
        if (n === 0) return;
        this.count += n;
        this.firstArrivalMs ??= now;
        this.lastArrivalMs = now;
        const second = Math.floor(now / 1000);
        this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + n);
        this.waiters = this.waiters.filter((w) => {
          if (this.count < w.target) return true;
          w.resolve(now);
          return false;
        });
      },
    });
    await joined;
  }

  /** Distinct delivery ids seen (with trackDuplicates). */
  get distinct(): number {
    return this.seen.size;
  }

  /** Resolves with the arrival time (ms) when `target` records have arrived, or undefined after `timeoutMs`. */
  waitFor(target: number, timeoutMs: number): Promise<number | undefined> {
    if (this.count >= target) return Promise.resolve(this.lastArrivalMs ?? Date.now());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.target !== target);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.push({
        target,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
  }
}
