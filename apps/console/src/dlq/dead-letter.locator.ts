import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { DlqHeaders } from '@hub/platform';
import { DeadLetterRecord, headerText } from './replay-message';

/** A dead letter to find, as its `rejected` audit event describes it. */
export interface DeadLetterToFind {
  /** The rejection's audit event id. */
  id: string;
  dlqTopic: string;
  /** Where the record was consumed from: the DLQ record's hub_source_* headers. */
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  /** When the ingest rejected it: the DLQ record was produced just after. */
  rejectedAt: Date;
}

export interface LocatorSettings {
  /** Start reading this long before the earliest rejection (clock skew between hosts). */
  lookBehindMs: number;
  /** Stop reading a partition at records this long after the latest rejection (batch retries). */
  lookAheadMs: number;
  /** Give up on what is still missing after this long. */
  timeoutMs: number;
  /** Stop when no record arrived for this long (the read reached the end of what is committed). */
  idleMs: number;
}

export const DEFAULT_LOCATOR_SETTINGS: Readonly<LocatorSettings> = Object.freeze({
  lookBehindMs: 60_000,
  lookAheadMs: 120_000,
  timeoutMs: 20_000,
  idleMs: 2_000,
});

/** `<topic>/<partition>/<offset>` of the source record, the key DLQ records are matched on. */
const sourceKey = (topic: string, partition: number | string, offset: string) =>
  `${topic}/${partition}/${offset}`;

/**
 * Finds dead letters in their DLQ topics. The `rejected` audit event names the DLQ topic and the
 * record's SOURCE coordinates, not its DLQ partition and offset (those are only known once the ingest's
 * transaction has committed). So: ask the broker for the offsets at the rejection time
 * (fetchTopicOffsetsByTimestamp), commit them for a throwaway consumer group, read forward
 * (read_committed, as the DLQ is written in transactions) and match each record's hub_source_* headers.
 * The group is deleted afterwards.
 */
export class DeadLetterLocator {
  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly groupPrefix: string,
    private readonly settings: Readonly<LocatorSettings> = DEFAULT_LOCATOR_SETTINGS,
  ) {}

  /** The dead letters found, by rejection id. Missing ones are absent from the map. */
  async locate(wanted: readonly DeadLetterToFind[]): Promise<Map<string, DeadLetterRecord>> {
    const found = new Map<string, DeadLetterRecord>();
    if (wanted.length === 0) return found;
    const bySource = new Map(
      wanted.map((w) => [sourceKey(w.sourceTopic, w.sourcePartition, w.sourceOffset), w]),
    );
    const topics = [...new Set(wanted.map((w) => w.dlqTopic))];
    const existing = new Set(await this.admin.listTopics());
    const groupId = `${this.groupPrefix}${randomUUID()}`;

    // Per partition: where to start, and the record time after which nothing wanted can appear.
    const stopAt = new Map<string, number>();
    let toRead = 0;
    for (const topic of topics) {
      if (!existing.has(topic)) continue;
      const mine = wanted.filter((w) => w.dlqTopic === topic);
      const earliest = Math.min(...mine.map((w) => w.rejectedAt.getTime()));
      const latest = Math.max(...mine.map((w) => w.rejectedAt.getTime()));
      const [starts, ends] = await Promise.all([
        this.admin.fetchTopicOffsetsByTimestamp(topic, earliest - this.settings.lookBehindMs),
        this.admin.fetchTopicOffsets(topic),
      ]);
      const high = new Map(ends.map((e) => [e.partition, e.high]));
      await this.admin.setOffsets({
        groupId,
        topic,
        partitions: starts.map((s) => ({
          partition: s.partition,
          offset: Number(s.offset) < 0 ? (high.get(s.partition) ?? s.offset) : s.offset,
        })),
      });
      for (const s of starts) {
        if (Number(s.offset) >= 0 && Number(s.offset) < Number(high.get(s.partition) ?? 0)) {
          stopAt.set(`${topic}/${s.partition}`, latest + this.settings.lookAheadMs);
          toRead++;
        }
      }
    }
    if (toRead === 0) return found;

    const consumer = this.kafka.consumer({
      groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 200,
      sessionTimeout: 10_000,
    });
    let lastActivity = Date.now();
    let joined = false;
    const finished = new Set<string>();
    let done: () => void = () => undefined;
    const complete = new Promise<void>((resolve) => (done = resolve));
    const check = () => {
      if (found.size === bySource.size || finished.size >= toRead) done();
    };
    try {
      await consumer.connect();
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joined = true;
        lastActivity = Date.now();
      });
      await consumer.subscribe({ topics: topics.filter((t) => existing.has(t)) });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          lastActivity = Date.now();
          const partitionKey = `${batch.topic}/${batch.partition}`;
          const limit = stopAt.get(partitionKey);
          for (const message of batch.messages) {
            const headers = message.headers ?? {};
            const topic = headerText(headers, DlqHeaders.sourceTopic);
            const partition = headerText(headers, DlqHeaders.sourcePartition);
            const offset = headerText(headers, DlqHeaders.sourceOffset);
            const match =
              topic && partition && offset ? bySource.get(sourceKey(topic, partition, offset)) : undefined;
            if (match && match.dlqTopic === batch.topic && !found.has(match.id)) {
              found.set(match.id, {
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                key: message.key,
                value: message.value,
                headers,
              });
            }
            if (limit === undefined || Number(message.timestamp) > limit) finished.add(partitionKey);
          }
          if (Number(batch.lastOffset()) >= Number(batch.highWatermark) - 1) finished.add(partitionKey);
          check();
        },
      });
      const idle = setInterval(() => {
        if (joined && Date.now() - lastActivity > this.settings.idleMs) done();
      }, 250);
      const timeout = setTimeout(done, this.settings.timeoutMs);
      check();
      await complete;
      clearInterval(idle);
      clearTimeout(timeout);
      return found;
    } finally {
      await consumer.disconnect().catch(() => undefined);
      // The group only ever held these reads; leaving it would clutter the broker's group list.
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
  }
}
