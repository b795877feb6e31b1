import type { Admin, Consumer, Kafka } from 'kafkajs';

/** One HTTP destination's input topic and the delivery worker's consumer group on it. */
export interface DeliveryQueue {
  topic: string;
  groupId: string;
}

/** The delivery workers' backlog at one moment, in records (not offsets). */
export interface BacklogReading {
  /** Records the router has committed to the `hub.delivery.*` topics so far (read-committed). */
  routed: number;
  /** Records before the workers' committed offsets: delivered, audited and committed. */
  committed: number;
  /** Records at or after the committed offsets: still in Kafka, waiting for the worker. */
  waiting: number;
  /** High watermark minus committed offset, summed: Kafka's usual "lag", transaction markers included. */
  offsetLag: number;
}

/**
 * Counts what waits for the HTTP delivery workers. It reads the `hub.delivery.<destination>` topics as
 * the workers do (read-committed, from the beginning) in a group of its own and remembers each record's
 * offset, so the records behind a worker's committed offset can be counted exactly. Offsets alone
 * would overstate it: every router transaction also writes a commit marker, which takes an offset.
 */
export class DeliveryBacklogCounter {
  /** Offsets seen per `topic:partition`, ascending (Kafka hands them over in order). */
  private readonly offsets = new Map<string, number[]>();
  private consumer?: Consumer;
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    private readonly queues: readonly DeliveryQueue[],
    private readonly groupId: string,
  ) {}

  /** Records seen on the delivery topics so far. */
  get routed(): number {
    let n = 0;
    for (const list of this.offsets.values()) n += list.length;
    return n;
  }

  /** Connects and resolves once the consumer has joined its group. */
  async start(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 100,
      sessionTimeout: 30_000,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topics: this.queues.map((q) => q.topic), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatch: async ({ batch }) => {
        const key = `${batch.topic}:${batch.partition}`;
        const list = this.offsets.get(key) ?? [];
        this.offsets.set(key, list);
        for (const m of batch.messages) list.push(Number(m.offset));
      },
    });
    await joined;
  }

  /** Resolves true once `target` records have been seen, false after `timeoutMs`. */
  async waitForRouted(target: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.routed < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    return this.routed >= target;
  }

  /** Reads the workers' committed offsets and splits the records seen so far at them. */
  async read(): Promise<BacklogReading> {
    const reading: BacklogReading = { routed: 0, committed: 0, waiting: 0, offsetLag: 0 };
    for (const queue of this.queues) {
      const [committed, ends] = await Promise.all([
        this.admin!.fetchOffsets({ groupId: queue.groupId, topics: [queue.topic] }),
        this.admin!.fetchTopicOffsets(queue.topic),
      ]);
      const at = new Map<number, number>();
      for (const p of committed[0]?.partitions ?? []) at.set(p.partition, Number(p.offset));
      for (const end of ends) {
        // -1: the worker has committed nothing yet on this partition; everything routed waits.
        const from = Math.max(0, at.get(end.partition) ?? -1);
        const list = this.offsets.get(`${queue.topic}:${end.partition}`) ?? [];
        const before = countBelow(list, from);
        reading.routed += list.length;
        reading.committed += before;
        reading.waiting += list.length - before;
        reading.offsetLag += Math.max(0, Number(end.high) - from);
      }
    }
    return reading;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.admin = undefined;
  }
}

/** How many of the ascending `offsets` are below `limit` (binary search: the lists grow to tens of thousands). */
export function countBelow(offsets: readonly number[], limit: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
