import type { Admin, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { ConsumedMessage, OutboundMessage, toConsumedMessage } from './kafka-message';

/** One partition's fetched batch, decoded once. */
export interface InboundBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

/**
 * consume-transform-produce: the handler returns what to produce; the runner produces it and commits
 * the consumed offsets in ONE Kafka transaction, so outputs and progress land together or not at all.
 */
export interface TransactionalMode {
  kind: 'transactional';
  transactionalId: string;
  handler: (batch: InboundBatch) => Promise<OutboundMessage[]>;
}

/**
 * consume-then-commit: the handler makes its side effects durable itself (e.g. a database commit that
 * also records the offset) and the runner commits offsets to Kafka afterwards. Re-delivery after a
 * crash between the two must be harmless to the handler.
 */
export interface CommitAfterMode {
  kind: 'commit-after';
  handler: (batch: InboundBatch) => Promise<void>;
}

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  mode: TransactionalMode | CommitAfterMode;
  logger: Logger;
  /** Only see committed transactional records (default true: downstream of the hub's own transactions). */
  readCommitted?: boolean;
  fromBeginning?: boolean;
  /** Upper bound of one batch per partition, bytes. Bounds memory: the runner holds one batch at a time. */
  maxBytesPerPartition?: number;
  /** Called after each committed batch (metrics, health). */
  onCommitted?: (batch: InboundBatch, produced: number, elapsedMs: number) => void;
  /** Called when a batch failed and will be retried from the last committed offset. */
  onFailed?: (batch: InboundBatch, error: unknown, attempt: number) => void;
}

const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 250;

/**
 * Runs a kafkajs consumer in batch mode with an explicit error policy: a batch either commits whole,
 * or is aborted and retried from the broker's committed offset after an exponential back-off (never
 * skipped, never half-applied). Records the handler could not accept must be returned by the handler
 * as DLQ output; an exception here means infrastructure trouble, which is worth waiting out.
 */
export class BatchConsumerRunner {
  private consumer?: Consumer;
  private producer?: Producer;
  private admin?: Admin;
  private consecutiveFailures = 0;
  private stopping = false;

  constructor(private readonly options: BatchConsumerOptions) {}

  /** True while the last batch failed and we are backing off: readiness reports this. */
  get degraded(): boolean {
    return this.consecutiveFailures > 0;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics, mode } = this.options;
    this.consumer = kafka.consumer({
      groupId,
      readUncommitted: this.options.readCommitted === false,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Batches can carry a transaction's worth of work; give the fetch a moment to fill.
      maxWaitTimeInMs: 100,
    });
    this.admin = kafka.admin();
    await this.admin.connect();
    if (mode.kind === 'transactional') this.producer = await this.newTransactionalProducer(mode.transactionalId);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Finishes the in-flight batch (kafkajs waits for it), then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  private async newTransactionalProducer(transactionalId: string): Promise<Producer> {
    const producer = this.options.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 60_000,
    });
    await producer.connect();
    return producer;
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const inbound: InboundBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages.map((m) => toConsumedMessage(batch.topic, batch.partition, m)),
    };
    const lastOffset = batch.lastOffset();
    const started = Date.now();
    try {
      const produced = await this.process(inbound, lastOffset);
      resolveOffset(lastOffset);
      this.consecutiveFailures = 0;
      this.options.onCommitted?.(inbound, produced, Date.now() - started);
      await heartbeat().catch(() => undefined);
    } catch (error) {
      if (this.stopping) return;
      this.consecutiveFailures += 1;
      this.options.onFailed?.(inbound, error, this.consecutiveFailures);
      this.options.logger.warn(
        { err: error, topic: inbound.topic, partition: inbound.partition, attempt: this.consecutiveFailures },
        'batch failed; retrying from the committed offset',
      );
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.consecutiveFailures - 1));
      await new Promise((r) => setTimeout(r, backoff * (0.5 + Math.random() / 2)));
      await this.rewind(inbound);
    }
  }

  private async process(batch: InboundBatch, lastOffset: string): Promise<number> {
    const mode = this.options.mode;
    const nextOffset = (BigInt(lastOffset) + 1n).toString();
    if (mode.kind === 'commit-after') {
      await mode.handler(batch);
      await this.consumer!.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset }]);
      return 0;
    }
    const outputs = await mode.handler(batch);
    if (!this.producer) this.producer = await this.newTransactionalProducer(mode.transactionalId);
    const transaction = await this.producer.transaction();
    try {
      if (outputs.length > 0) {
        await transaction.sendBatch({ topicMessages: groupByTopic(outputs) });
      }
      await transaction.sendOffsets({
        consumerGroupId: this.options.groupId,
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] }],
      });
      await transaction.commit();
      return outputs.length;
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      // A failed transaction can leave the producer fenced or in an unknown state: start a fresh one.
      const old = this.producer;
      this.producer = undefined;
      await old.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Seeks to what the broker says is committed, not to the batch's first offset: if a commit
   * succeeded but its answer was lost, re-reading from the batch start would produce it twice.
   */
  private async rewind(batch: InboundBatch): Promise<void> {
    let offset = batch.messages[0].offset;
    try {
      const committed = await this.admin!.fetchOffsets({ groupId: this.options.groupId, topics: [batch.topic] });
      const entry = committed[0]?.partitions.find((p) => p.partition === batch.partition);
      if (entry && entry.offset !== '-1') offset = entry.offset;
      this.consumer!.seek({ topic: batch.topic, partition: batch.partition, offset });
    } catch (error) {
      // Broker unreachable: the next fetch also fails and we come back here; kafkajs keeps the position.
      this.options.logger.warn({ err: error, topic: batch.topic, partition: batch.partition }, 'rewind failed');
    }
  }
}

function groupByTopic(messages: OutboundMessage[]) {
  const byTopic = new Map<string, OutboundMessage[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic);
    if (list) list.push(m);
    else byTopic.set(m.topic, [m]);
  }
  return [...byTopic].map(([topic, list]) => ({
    topic,
    messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
  }));
}
