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
  /** Consumer group session timeout: how soon a crashed instance's partitions go to another (default 30 s). */
  sessionTimeoutMs?: number;
  /** How long the broker lets a transaction of a vanished producer stay open before aborting it (default 60 s). */
  transactionTimeoutMs?: number;
  /**
   * Transactional mode: most records handed to the handler and committed in one transaction (default
   * {@link MAX_RECORDS_PER_TRANSACTION}); a larger fetched batch is processed as several.
   */
  maxRecordsPerTransaction?: number;
  /** Transactional mode: most input bytes per transaction (default {@link MAX_INPUT_BYTES_PER_TRANSACTION}). */
  maxInputBytesPerTransaction?: number;
  /** Called after each committed batch (metrics, health); in transactional mode, per transaction. */
  onCommitted?: (batch: InboundBatch, produced: number, elapsedMs: number) => void;
  /** Called when a batch failed and will be retried from the last committed offset. */
  onFailed?: (batch: InboundBatch, error: unknown, attempt: number) => void;
}

/**
 * Longest wait between retries of a failing batch. 10 s rather than 30 s: the wait after the last
 * failure is pure delay once the database or broker is back (a 30 s outage was followed by up to 30 s
 * of idling), and one retry per 10 s costs nothing.
 */
const MAX_BACKOFF_MS = 10_000;
const FIRST_BACKOFF_MS = 250;
/**
 * How often to heartbeat while a batch holds the partition (slow handler, back-off). kafkajs only
 * heartbeats between batches; a member silent for `sessionTimeout` is evicted and its partitions go to
 * another instance while this one may still commit the batch (kafkajs has no KIP-447 fencing), which
 * would produce it twice. Matches `heartbeatInterval` below.
 */
const KEEPALIVE_MS = 3_000;
/** Heartbeat answers saying this member's partitions may be (or already are) going to another member. */
const MEMBERSHIP_ERRORS = new Set([
  'REBALANCE_IN_PROGRESS',
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'FENCED_INSTANCE_ID',
]);

/**
 * Why transactions are bounded: the broker refuses a record batch larger than `message.max.bytes`
 * (1 MiB by default) and kafkajs puts everything one `sendBatch` sends to a partition into one record
 * batch, audit events of a whole batch into one message. A backlog (after a restart or outage) fetched as
 * a full 1 MiB batch per partition made outputs of 2 MiB and more: MESSAGE_TOO_LARGE, retried forever,
 * the partition stuck. Inputs per transaction are therefore capped (outputs are a small multiple of
 * them: canonical JSON plus about 1 KB of audit per record), and outputs are sent in requests of at
 * most {@link MAX_PRODUCE_REQUEST_BYTES}. Found by test/faults/apps-killed-and-restarted.e2e.ts.
 */
export const MAX_RECORDS_PER_TRANSACTION = 500;
export const MAX_INPUT_BYTES_PER_TRANSACTION = 256 * 1024;
const MAX_PRODUCE_REQUEST_BYTES = 512 * 1024;

/**
 * Runs a kafkajs consumer in batch mode with an explicit error policy: a transaction (a fetched batch,
 * or a bounded slice of it) either commits whole, or is aborted and retried from the broker's committed
 * offset after an exponential back-off (never skipped, never half-applied). Records the handler could
 * not accept must be returned by the handler as DLQ output; an exception here means infrastructure
 * trouble, which is worth waiting out.
 *
 * Back-pressure: kafkajs fetches a partition again only after the handler has returned, so while a
 * destination or the database is slow (or down, during back-off) the consumer holds one fetched batch
 * (at most `maxBytesPerPartition` per partition) and fetches nothing more; the backlog stays in Kafka.
 */
export class BatchConsumerRunner {
  private consumer?: Consumer;
  private producer?: Producer;
  private admin?: Admin;
  private consecutiveFailures = 0;
  private stopping = false;
  /**
   * Partitions (`topic:partition`) whose last attempt failed with an unknown outcome: nothing of them is
   * processed again until the broker has told us their committed offset and we have sought to it.
   */
  private readonly needsRewind = new Set<string>();
  /**
   * Set when a heartbeat during the current batch reported a rebalance or that this member was expired:
   * the transaction is then aborted instead of committed. Without KIP-447 the broker cannot refuse a
   * commit from a member that lost its partitions; this narrows that window to one heartbeat interval.
   */
  private membershipInDoubt = false;
  /** Ends a back-off sleep early, so SIGTERM during a back-off still exits well within the 10 s watchdog. */
  private wakeBackOff?: () => void;

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
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      // Batches can carry a transaction's worth of work; give the fetch a moment to fill.
      maxWaitTimeInMs: 100,
    });
    this.admin = kafka.admin();
    await this.admin.connect();
    // Before the consumer joins and reads its committed offsets: initialising the transactional id
    // fences a crashed predecessor of this instance and waits until its last transaction is complete,
    // so those offsets already include it if it committed (see newTransactionalProducer).
    if (mode.kind === 'transactional')
      this.producer = await this.newTransactionalProducer(mode.transactionalId);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /**
   * Finishes the in-flight batch (kafkajs waits for it: it commits, or fails and is left uncommitted),
   * then disconnects. A batch backing off after a failure is abandoned at once; the next owner of the
   * partition starts again from the committed offset.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeBackOff?.();
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  /**
   * A connected transactional producer whose transactional id is initialised. kafkajs has no
   * `initTransactions()`: `connect()` only gets a plain idempotent producer id, and the transactional
   * InitProducerId is sent lazily by the first `transaction()`. We force it here with an empty
   * transaction (aborting one that holds nothing sends no request): InitProducerId fences older
   * producers with this id and returns only once the coordinator has finished their last transaction,
   * committed or aborted. Only after that do the committed offsets tell the truth about it.
   */
  private async newTransactionalProducer(transactionalId: string): Promise<Producer> {
    const producer = this.options.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs ?? 60_000,
    });
    try {
      await producer.connect();
      const init = await producer.transaction();
      await init.abort();
      return producer;
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** A failed heartbeat is not the batch's failure; a lost membership makes the commit unsafe, though. */
  private readonly noteHeartbeatError = (error: unknown): void => {
    if (MEMBERSHIP_ERRORS.has((error as { type?: string }).type ?? '')) this.membershipInDoubt = true;
  };

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length === 0 || !isRunning() || isStale() || this.stopping) return;
    this.membershipInDoubt = false;
    const keepAlive = setInterval(() => void heartbeat().catch(this.noteHeartbeatError), KEEPALIVE_MS);
    try {
      const key = `${batch.topic}:${batch.partition}`;
      if (this.needsRewind.has(key)) {
        // An earlier attempt failed and the rewind after it could not reach the broker, so kafkajs
        // re-fetched from its own position, which may be behind a commit whose answer was lost. Do not
        // process: rewind (the seek applies to the next fetch) or back off and come back here.
        if (await this.rewind(batch.topic, batch.partition)) this.needsRewind.delete(key);
        else await this.backOff();
        return;
      }
      await this.processBatch(payload, key);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async processBatch(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
    key: string,
  ): Promise<void> {
    const messages = batch.messages.map((m) => toConsumedMessage(batch.topic, batch.partition, m));
    const limits = {
      maxRecords: this.options.maxRecordsPerTransaction ?? MAX_RECORDS_PER_TRANSACTION,
      maxBytes: this.options.maxInputBytesPerTransaction ?? MAX_INPUT_BYTES_PER_TRANSACTION,
    };
    const chunks =
      this.options.mode.kind === 'transactional' ? splitIntoTransactions(messages, limits) : [messages];
    for (const [index, chunk] of chunks.entries()) {
      // Between transactions: a stopping app or a seek (rebalance) ends the batch here; the rest is
      // uncommitted and is fetched again by whoever owns the partition next.
      if (index > 0 && (this.stopping || !isRunning() || isStale())) return;
      const inbound: InboundBatch = { topic: batch.topic, partition: batch.partition, messages: chunk };
      // The last chunk ends at the batch's last offset, which also covers a trailing control record.
      const lastOffset = index === chunks.length - 1 ? batch.lastOffset() : chunk[chunk.length - 1].offset;
      const started = Date.now();
      try {
        const produced = await this.process(inbound, lastOffset);
        resolveOffset(lastOffset);
        this.consecutiveFailures = 0;
        this.options.onCommitted?.(inbound, produced, Date.now() - started);
        await heartbeat().catch(this.noteHeartbeatError);
      } catch (error) {
        // Whatever happened, this partition's committed offset is now uncertain until the broker says.
        this.needsRewind.add(key);
        if (this.stopping) return;
        this.consecutiveFailures += 1;
        this.options.onFailed?.(inbound, error, this.consecutiveFailures);
        this.options.logger.warn(
          {
            err: error,
            topic: inbound.topic,
            partition: inbound.partition,
            attempt: this.consecutiveFailures,
          },
          'batch failed; retrying from the committed offset',
        );
        await this.backOff();
        if (!this.stopping && (await this.rewind(inbound.topic, inbound.partition)))
          this.needsRewind.delete(key);
        return;
      }
    }
  }

  /** Exponential back-off with jitter; the consumer fetches nothing meanwhile (the batch holds it). Ends early on stop(). */
  private async backOff(): Promise<void> {
    const attempt = Math.max(1, this.consecutiveFailures);
    const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, backoff * (0.5 + Math.random() / 2));
      this.wakeBackOff = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeBackOff = undefined;
  }

  private async process(batch: InboundBatch, lastOffset: string): Promise<number> {
    const mode = this.options.mode;
    const nextOffset = (BigInt(lastOffset) + 1n).toString();
    if (mode.kind === 'commit-after') {
      await mode.handler(batch);
      await this.consumer!.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: nextOffset },
      ]);
      return 0;
    }
    const outputs = await mode.handler(batch);
    if (!this.producer) this.producer = await this.newTransactionalProducer(mode.transactionalId);
    const transaction = await this.producer.transaction();
    try {
      // Sequential requests within one transaction: per-partition order is kept (one in flight).
      for (const request of produceRequests(outputs))
        await transaction.sendBatch({ topicMessages: groupByTopic(request) });
      await transaction.sendOffsets({
        consumerGroupId: this.options.groupId,
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] }],
      });
      if (this.membershipInDoubt) {
        throw new Error(
          'the consumer group is rebalancing; the batch is left to whoever owns the partition next',
        );
      }
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
   * succeeded but its answer was lost, re-reading from the batch start would produce it twice. In
   * transactional mode a fresh producer is initialised first, which waits for our last transaction
   * to be completed by the coordinator; before that, a commit in flight may not show in the offsets yet.
   * Returns false when the broker could not be asked; the caller must not process the partition then.
   */
  private async rewind(topic: string, partition: number): Promise<boolean> {
    const mode = this.options.mode;
    try {
      if (mode.kind === 'transactional' && !this.producer)
        this.producer = await this.newTransactionalProducer(mode.transactionalId);
      const committed = await this.admin!.fetchOffsets({ groupId: this.options.groupId, topics: [topic] });
      const entry = committed[0]?.partitions.find((p) => p.partition === partition);
      // Nothing committed yet: nothing can have been committed by the failed attempt either, and
      // kafkajs' position is still where that attempt started; keep it.
      if (entry && entry.offset !== '-1') this.consumer!.seek({ topic, partition, offset: entry.offset });
      return true;
    } catch (error) {
      this.consecutiveFailures += 1;
      this.options.logger.warn(
        { err: error, topic, partition },
        'rewind failed; will retry before consuming this partition again',
      );
      return false;
    }
  }
}

/**
 * Splits a fetched batch into transactions of at most `maxRecords` records and `maxBytes` of keys and
 * values, in offset order; each holds at least one record, so a single oversized record still moves.
 */
export function splitIntoTransactions(
  messages: ConsumedMessage[],
  limits: { maxRecords: number; maxBytes: number },
): ConsumedMessage[][] {
  const chunks: ConsumedMessage[][] = [];
  let current: ConsumedMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = (message.value?.length ?? 0) + (message.key?.length ?? 0);
    if (current.length > 0 && (current.length >= limits.maxRecords || bytes + size > limits.maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Outputs in request-sized groups (at most `maxBytes` of keys, values and headers each, at least one
 * message), in order, so no partition's record batch in one produce request can exceed the broker's limit.
 */
export function produceRequests(
  outputs: OutboundMessage[],
  maxBytes = MAX_PRODUCE_REQUEST_BYTES,
): OutboundMessage[][] {
  const requests: OutboundMessage[][] = [];
  let current: OutboundMessage[] = [];
  let bytes = 0;
  for (const m of outputs) {
    const size = byteLength(m.value) + byteLength(m.key) + headerBytes(m);
    if (current.length > 0 && bytes + size > maxBytes) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

function byteLength(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function headerBytes(m: OutboundMessage): number {
  let total = 0;
  for (const [name, raw] of Object.entries(m.headers ?? {})) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const v of values) total += name.length + byteLength(v as string | Buffer | undefined);
  }
  return total;
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
