import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { DeadLetterRecord } from '../dlq/replay-message';

/** How long a read of a destination DLQ may take. */
export interface DestinationDlqReaderSettings {
  /** Give up (and fail the request) after this long. */
  timeoutMs: number;
  /** Stop when nothing arrived for this long after joining (everything committed has been read). */
  idleMs: number;
}

/** Defaults: a DLQ of a few thousand records reads in well under a second once the group has joined. */
export const DEFAULT_DESTINATION_DLQ_READER_SETTINGS: Readonly<DestinationDlqReaderSettings> = Object.freeze({
  timeoutMs: 30_000,
  idleMs: 2_000,
});

/** The read did not reach the end of the DLQ in time; nothing should be decided from a partial read. */
export class DestinationDlqReadTimeoutError extends Error {
  constructor(topic: string, timeoutMs: number) {
    super(`Reading ${topic} did not reach its end within ${timeoutMs} ms.`);
    this.name = 'DestinationDlqReadTimeoutError';
  }
}

/**
 * Reads a whole destination DLQ topic (`hub.dlq.destination.<destination>`) with a short-lived consumer:
 * a throwaway group, read_committed (the delivery worker writes the DLQ in transactions), from the
 * beginning up to the high watermark taken at the start; the group is deleted afterwards. A partition is
 * done once a batch reaches its high watermark (control records included), or when nothing more arrives
 * (the rest is an open transaction, not yet a dead letter).
 */
export class DestinationDlqReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly groupPrefix: string,
    private readonly settings: Readonly<DestinationDlqReaderSettings> = DEFAULT_DESTINATION_DLQ_READER_SETTINGS,
  ) {}

  /** Every committed record of `topic`, by partition then offset; empty when the topic does not exist. */
  async readAll(topic: string): Promise<DeadLetterRecord[]> {
    if (!(await this.admin.listTopics()).includes(topic)) return [];
    const offsets = await this.admin.fetchTopicOffsets(topic);
    const high = new Map<number, number>();
    for (const o of offsets) if (Number(o.low) < Number(o.high)) high.set(o.partition, Number(o.high));
    if (high.size === 0) return [];

    const records: DeadLetterRecord[] = [];
    const finished = new Set<number>();
    const groupId = `${this.groupPrefix}${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 200,
      sessionTimeout: 10_000,
    });
    let joined = false;
    let lastActivity = Date.now();
    let settle: (timedOut: boolean) => void = () => undefined;
    const complete = new Promise<boolean>((resolve) => (settle = resolve));
    const reached = (partition: number, lastOffset: string) => {
      const end = high.get(partition);
      if (end === undefined || Number(lastOffset) >= end - 1) finished.add(partition);
      if ([...high.keys()].every((p) => finished.has(p))) settle(false);
    };
    let idle: NodeJS.Timeout | undefined;
    let timeout: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joined = true;
        lastActivity = Date.now();
      });
      // Also emitted for batches that hold only control records (a transaction's commit marker).
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        lastActivity = Date.now();
        if (payload.topic === topic) reached(payload.partition, payload.lastOffset);
      });
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          lastActivity = Date.now();
          const end = high.get(batch.partition);
          for (const m of batch.messages) {
            if (end === undefined || Number(m.offset) >= end) continue;
            records.push({
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              key: m.key,
              value: m.value,
              headers: m.headers ?? {},
            });
          }
        },
      });
      idle = setInterval(() => {
        if (joined && Date.now() - lastActivity > this.settings.idleMs) settle(false);
      }, 250);
      timeout = setTimeout(() => settle(true), this.settings.timeoutMs);
      if (await complete) throw new DestinationDlqReadTimeoutError(topic, this.settings.timeoutMs);
    } finally {
      if (idle) clearInterval(idle);
      if (timeout) clearTimeout(timeout);
      await consumer.disconnect().catch(() => undefined);
      // The group only ever held this read; leaving it would clutter the broker's group list.
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
    // Dedupe (a rebalance may hand a partition over twice) and order by partition, then offset.
    const unique = new Map(records.map((r) => [`${r.partition}/${r.offset}`, r]));
    return [...unique.values()].sort(
      (a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset),
    );
  }
}
