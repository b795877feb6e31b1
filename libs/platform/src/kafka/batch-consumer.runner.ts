import { Partitioners } from 'kafkajs';
import type {
  Admin,
  Consumer,
  EachBatchPayload,
  Kafka,
  PartitionMetadata,
  Producer,
  RecordMetadata,
  RequestEvent,
} from 'kafkajs';
import type { Logger } from 'pino';
import { ConsumedMessage, OutboundMessage, toConsumedMessage } from './kafka-message';
import { installedKafkajsPatches } from './kafkajs-patch';

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
  /**
   * Called once with every partition batch of a transaction (when it holds more than one) before the
   * handler is called for each: where an app batches the I/O its handler would otherwise do per
   * partition (the ingest's audit-log lookup). An optimisation only: if it fails, the handlers run as
   * without it.
   */
  prepare?: (batches: InboundBatch[]) => Promise<void>;
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
  /**
   * Let the broker hold a fetch until it has `minBytes` for this consumer or `maxWaitMs` has passed
   * (default: answer as soon as anything is there, waiting at most 100 ms). Fewer, larger batches for a
   * consumer off the delivery path: the audit writer, whose every batch is a Postgres commit.
   */
  fetchLinger?: { minBytes: number; maxWaitMs: number };
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
  /**
   * Transactional mode: most partitions processed at once, and so committed together in one transaction
   * (default {@link MAX_PARTITIONS_PER_COMMIT}; 1 restores one transaction per partition batch).
   */
  maxPartitionsPerCommit?: number;
  /** Transactional mode: most records of all partitions in one transaction (default {@link MAX_RECORDS_PER_COMMIT}). */
  maxRecordsPerCommit?: number;
  /** Called after each committed batch (metrics, health); in transactional mode, per transaction. */
  onCommitted?: (batch: InboundBatch, produced: number, elapsedMs: number) => void;
  /**
   * Transactional mode: called after each committed transaction with how many partition slices it held,
   * and where its time went ({@link TransactionPhases}).
   */
  onTransaction?: (info: {
    partitions: number;
    records: number;
    outputs: number;
    elapsedMs: number;
    phasesMs: TransactionPhases;
  }) => void;
  /** Called when a batch failed and will be retried from the last committed offset. */
  onFailed?: (batch: InboundBatch, error: unknown, attempt: number) => void;
  /**
   * Called for every request this runner's Kafka clients send (kafkajs' REQUEST instrumentation event),
   * with the client and the API (`Fetch`, `Produce`, `EndTxn`, ...): what each record costs the broker.
   */
  onKafkaRequest?: (client: KafkaClientRole, api: string) => void;
}

/** Which of a runner's Kafka clients sent a request. */
export type KafkaClientRole = 'consumer' | 'producer' | 'admin';

/**
 * Where one transaction's time went, ms: `handle` the app's prepare and handlers (its own code and any
 * database lookups), `produce` the produce requests (with kafkajs' AddPartitionsToTxn), `offsets`
 * AddOffsetsToTxn and TxnOffsetCommit, `commit` EndTxn.
 */
export interface TransactionPhases {
  handle: number;
  produce: number;
  offsets: number;
  commit: number;
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
 * Retries of the transactional producer. The first request of a transaction that begins right after the
 * previous one committed is usually refused with CONCURRENT_TRANSACTIONS (the coordinator is still writing
 * the previous one's markers), and kafkajs retries it after `initialRetryTime`: with the client's 300 ms,
 * back-to-back transactions took 230-350 ms each; with 20 ms, 30 ms (measured on this broker, 60
 * transactions of 3 partitions). Twelve retries doubling up to 10 s keep the same ~40 s budget for real
 * outages as the client's 8 retries from 300 ms.
 */
const TRANSACTIONAL_PRODUCER_RETRY = { initialRetryTime: 20, retries: 12, maxRetryTime: 10_000 };

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
/**
 * Why several partitions share a transaction: a Kafka transaction costs a fixed ~40-80 ms here
 * (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn and the markers the coordinator writes),
 * whatever it holds. A council topic's partitions each bring a few dozen records per fetch, so one
 * transaction per partition batch, one after another, spent most of the time on that fixed cost (issue 8,
 * bench/README.md). The batches one fetch returns are therefore processed together: each partition's
 * slice ({@link MAX_RECORDS_PER_TRANSACTION} records at most) is handed to the handler in turn and all
 * of them commit, with all their offsets, in one transaction.
 */
export const MAX_PARTITIONS_PER_COMMIT = 64;
export const MAX_RECORDS_PER_COMMIT = 5_000;
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
  /** A transaction was begun on the current producer since it was initialised (see {@link rewind}). */
  private producerUsed = false;
  /**
   * The next offset to consume per partition (`topic:partition`) as of the last commit THIS process saw
   * succeed: the lower bound of any rewind, because the broker's answer can lag behind (see {@link rewind}).
   */
  private readonly committedHere = new Map<string, bigint>();
  /** Partition counts of the topics we produce to (see {@link withPartitions}); refreshed on every join. */
  private readonly partitionCounts = new Map<string, number>();
  /** kafkajs' own default partitioner (murmur2, as the Java client), so records land where they always did. */
  private readonly partitioner = Partitioners.DefaultPartitioner();
  /** End back-off sleeps early, so SIGTERM during a back-off still exits well within the 10 s watchdog. */
  private readonly wakeBackOffs = new Set<() => void>();
  /** Partition slices waiting for the next shared transaction (see {@link MAX_PARTITIONS_PER_COMMIT}). */
  private queue: Submission[] = [];
  private flushScheduled = false;
  private flushing = false;
  /** Partition batches being handled now (several at once in transactional mode). */
  private activeBatches = 0;
  /**
   * Transactions and rewinds run one at a time: a rewind may replace the transactional producer, which
   * must never happen while a transaction is open on it.
   */
  private producerLock: Promise<unknown> = Promise.resolve();
  /**
   * Counts group joins. A slice fetched before a (re)join must not be committed after it: kafkajs and the
   * rewind have meanwhile read the committed offsets, and the partition may be fetched again from there,
   * so committing the old slice too would produce it twice (or the partition may now be another member's).
   */
  private generation = 0;

  /** The fixes to kafkajs this runner relies on (see {@link installedKafkajsPatches}). */
  private readonly patches = installedKafkajsPatches();
  /** See {@link produceRequests}: only when the installed kafkajs lacks this project's patch. */
  private readonly onePartitionPerRequest = !this.patches.sendWaitsForEveryBroker;

  constructor(private readonly options: BatchConsumerOptions) {}

  /** True while the last batch failed and we are backing off: readiness reports this. */
  get degraded(): boolean {
    return this.consecutiveFailures > 0;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics, mode } = this.options;
    if (mode.kind === 'transactional' && this.onePartitionPerRequest) {
      this.options.logger.warn(
        'kafkajs is not patched (patches/kafkajs+2.2.4.patch; run npm install): producing one partition per request, which is safe but slow',
      );
    }
    if (this.options.readCommitted !== false && !this.patches.abortedTransactionsSorted) {
      this.options.logger.error(
        'kafkajs is not patched (patches/kafkajs+2.2.4.patch; run npm install): records of aborted transactions can reach this consumer',
      );
    }
    this.consumer = kafka.consumer({
      groupId,
      readUncommitted: this.options.readCommitted === false,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      // Batches can carry a transaction's worth of work; give the fetch a moment to fill.
      maxWaitTimeInMs: this.options.fetchLinger?.maxWaitMs ?? 100,
      minBytes: this.options.fetchLinger?.minBytes ?? 1,
    });
    this.admin = kafka.admin();
    this.countRequests(this.consumer, 'consumer');
    this.countRequests(this.admin, 'admin');
    await this.admin.connect();
    // Before the consumer joins and reads its committed offsets: initialising the transactional id
    // fences a crashed predecessor of this instance and waits until its last transaction is complete,
    // so those offsets already include it if it committed (see newTransactionalProducer).
    if (mode.kind === 'transactional')
      this.producer = await this.newTransactionalProducer(mode.transactionalId);
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) =>
      this.onGroupJoin(payload.memberAssignment),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Transactional mode handles the partitions of a fetch at once and commits them together; the
      // commit-after mode (the audit writer) keeps one partition at a time, its handler is not re-entrant.
      partitionsConsumedConcurrently:
        mode.kind === 'transactional'
          ? (this.options.maxPartitionsPerCommit ?? MAX_PARTITIONS_PER_COMMIT)
          : 1,
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
    for (const wake of this.wakeBackOffs) wake();
    this.failQueued(new StoppingError());
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  private countRequests(client: Consumer | Producer | Admin, role: KafkaClientRole): void {
    const onRequest = this.options.onKafkaRequest;
    // Without a listener kafkajs does not even build the event.
    if (!onRequest) return;
    const listener = (event: RequestEvent) => onRequest(role, event.payload.apiName);
    // The three clients' `on` overloads differ only in their other events; REQUEST's payload is the same.
    const emitter = client as unknown as {
      on(name: string, listener: (event: RequestEvent) => void): unknown;
    };
    emitter.on(client.events.REQUEST, listener);
  }

  /**
   * After every (re)join kafkajs has read the committed offsets itself, and that answer can be older
   * than a transaction of ours that has just committed (see {@link rewind}): kafkajs would then start the
   * partition before it and the batch would be produced twice. So every partition of the new assignment
   * is rewound before use.
   */
  private onGroupJoin(assignment: Record<string, number[]>): void {
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) this.needsRewind.add(`${topic}:${partition}`);
    }
    this.partitionCounts.clear();
    // A completed join is a fresh, certain membership.
    this.membershipInDoubt = false;
    this.generation += 1;
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
      retry: TRANSACTIONAL_PRODUCER_RETRY,
    });
    this.countRequests(producer, 'producer');
    try {
      await producer.connect();
      const init = await producer.transaction();
      await init.abort();
      this.producerUsed = false;
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
    // Only when nothing else is in flight: another partition's heartbeat may just have reported trouble.
    if (this.activeBatches === 0) this.membershipInDoubt = false;
    this.activeBatches += 1;
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
      this.activeBatches -= 1;
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
        const produced =
          this.options.mode.kind === 'transactional'
            ? await this.submit(inbound, lastOffset)
            : await this.processCommitAfter(this.options.mode, inbound, lastOffset);
        resolveOffset(lastOffset);
        // Transactional mode reports each slice itself, before the next transaction's handler runs.
        if (this.options.mode.kind === 'commit-after')
          this.options.onCommitted?.(inbound, produced, Date.now() - started);
        await heartbeat().catch(this.noteHeartbeatError);
      } catch (error) {
        // Whatever happened, this partition's committed offset is now uncertain until the broker says.
        this.needsRewind.add(key);
        if (this.options.mode.kind === 'commit-after')
          this.options.onFailed?.(inbound, error, this.consecutiveFailures);
        if (this.stopping) return;
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
        if (this.stopping) return;
        // kafkajs keeps the group coordinator it found at join time for the whole generation: when that
        // broker is gone, every offset commit fails until the member rejoins, which kafkajs itself only
        // did after about two minutes of retries (the audit writer stood still that long when one broker
        // of three died; test/faults/three-broker-cluster-node-killed.e2e.ts). An error kafkajs treats
        // as a rebalance makes it rejoin now, which finds the current coordinator and re-reads the
        // committed offsets (the database already holds the batch and skips it by its offsets).
        if (error instanceof OffsetCommitFailedError) throw rejoinRequest(error);
        if (await this.rewind(inbound.topic, inbound.partition)) this.needsRewind.delete(key);
        return;
      }
    }
  }

  /** Exponential back-off with jitter; the consumer fetches nothing meanwhile (the batch holds it). Ends early on stop(). */
  private async backOff(): Promise<void> {
    const attempt = Math.max(1, this.consecutiveFailures);
    const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
    let wake: () => void = () => undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, backoff * (0.5 + Math.random() / 2));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.wakeBackOffs.add(wake);
    });
    this.wakeBackOffs.delete(wake);
  }

  /** Runs `work` when no transaction or rewind is running (see {@link producerLock}). */
  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = this.producerLock.then(work);
    this.producerLock = run.catch(() => undefined);
    return run;
  }

  /** Queues a partition slice for the next shared transaction; resolves with its output count once committed. */
  private submit(inbound: InboundBatch, lastOffset: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ inbound, lastOffset, generation: this.generation, resolve, reject });
      if (!this.flushScheduled && !this.flushing) {
        this.flushScheduled = true;
        // The other partitions of the same fetch reach submit() within this turn of the event loop.
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Commits queued slices, a transaction at a time, until the queue is empty. */
  private async flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0 && !this.stopping) {
        const group = this.takeGroup();
        await this.exclusively(() => this.commitGroup(group));
      }
      if (this.stopping) this.failQueued(new StoppingError());
    } finally {
      this.flushing = false;
    }
  }

  /** The next transaction's slices: at least one, then as many as fit {@link MAX_RECORDS_PER_COMMIT}. */
  private takeGroup(): Submission[] {
    const maxRecords = this.options.maxRecordsPerCommit ?? MAX_RECORDS_PER_COMMIT;
    let records = 0;
    let taken = 0;
    while (taken < this.queue.length) {
      const size = this.queue[taken].inbound.messages.length;
      if (taken > 0 && records + size > maxRecords) break;
      records += size;
      taken += 1;
    }
    return this.queue.splice(0, taken);
  }

  private failQueued(error: Error): void {
    for (const s of this.queue.splice(0)) this.fail(s, error);
  }

  private async processCommitAfter(
    mode: CommitAfterMode,
    batch: InboundBatch,
    lastOffset: string,
  ): Promise<number> {
    const nextOffset = (BigInt(lastOffset) + 1n).toString();
    try {
      await mode.handler(batch);
      await this.consumer!.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: nextOffset },
      ]).catch((error: unknown) => {
        throw new OffsetCommitFailedError(error);
      });
    } catch (error) {
      this.consecutiveFailures += 1;
      throw error;
    }
    this.committedHere.set(`${batch.topic}:${batch.partition}`, BigInt(nextOffset));
    this.consecutiveFailures = 0;
    return 0;
  }

  /**
   * One transaction for a group of partition slices. The handler sees the slices one after another; a
   * slice whose handler throws fails alone (it is retried from its committed offset) and the rest still
   * commit. Outputs, DLQ records, audit events and every slice's consumed offset then commit together
   * or not at all: if the transaction fails, every slice in it fails and is retried.
   */
  private async commitGroup(group: Submission[]): Promise<void> {
    const mode = this.options.mode as TransactionalMode;
    const started = Date.now();
    const handled: Array<{ submission: Submission; produced: number }> = [];
    const outputs: OutboundMessage[] = [];
    const generation = this.generation;
    const live = group.filter((s) => s.generation === generation);
    if (mode.prepare && live.length > 1) {
      await mode
        .prepare(live.map((s) => s.inbound))
        .catch((error: unknown) =>
          this.options.logger.warn(
            { err: error },
            'preparing the transaction failed; each partition batch is handled on its own',
          ),
        );
    }
    for (const submission of group) {
      if (submission.generation !== generation) {
        this.fail(submission, new StaleSliceError());
        continue;
      }
      try {
        const out = await mode.handler(submission.inbound);
        for (const m of out) outputs.push(m);
        handled.push({ submission, produced: out.length });
      } catch (error) {
        this.consecutiveFailures += 1;
        this.fail(submission, error);
      }
    }
    if (handled.length === 0) return;
    const handledAt = Date.now();
    let phases: Omit<TransactionPhases, 'handle'>;
    try {
      phases = await this.commitTransaction(
        mode,
        outputs,
        handled.map((h) => h.submission),
      );
    } catch (error) {
      this.consecutiveFailures += 1;
      for (const h of handled) this.fail(h.submission, error);
      return;
    }
    this.consecutiveFailures = 0;
    this.options.onTransaction?.({
      partitions: handled.length,
      records: handled.reduce((n, h) => n + h.submission.inbound.messages.length, 0),
      outputs: outputs.length,
      elapsedMs: Date.now() - started,
      phasesMs: { handle: handledAt - started, ...phases },
    });
    for (const { submission, produced } of handled) {
      const { topic, partition } = submission.inbound;
      this.committedHere.set(`${topic}:${partition}`, BigInt(submission.lastOffset) + 1n);
      // Reported here, in order and before any further handler call: an app may only remember what
      // committed, and must forget what did not before it decides the next transaction.
      this.options.onCommitted?.(submission.inbound, produced, Date.now() - started);
      submission.resolve(produced);
    }
  }

  /** Reports a slice as failed (the app forgets what it noted for it) and hands the error to its partition. */
  private fail(submission: Submission, error: unknown): void {
    this.options.onFailed?.(submission.inbound, error, this.consecutiveFailures);
    submission.reject(error);
  }

  private async commitTransaction(
    mode: TransactionalMode,
    outputs: OutboundMessage[],
    slices: Submission[],
  ): Promise<Omit<TransactionPhases, 'handle'>> {
    if (!this.producer) this.producer = await this.newTransactionalProducer(mode.transactionalId);
    this.producerUsed = true;
    const began = Date.now();
    const transaction = await this.producer.transaction();
    try {
      // Sequential requests within one transaction: per-partition order is kept (one in flight).
      const requests = produceRequests(await this.withPartitions(outputs), {
        onePartitionPerRequest: this.onePartitionPerRequest,
      });
      for (const request of requests) {
        assertWrittenExactlyOnce(
          request,
          await transaction.sendBatch({ topicMessages: groupByTopic(request) }),
        );
      }
      const produced = Date.now();
      await transaction.sendOffsets({ consumerGroupId: this.options.groupId, topics: offsetsOf(slices) });
      const offsetsSent = Date.now();
      if (slices.some((s) => s.generation !== this.generation)) throw new StaleSliceError();
      if (this.membershipInDoubt) {
        throw new Error(
          'the consumer group is rebalancing; the batch is left to whoever owns the partition next',
        );
      }
      await transaction.commit();
      return { produce: produced - began, offsets: offsetsSent - produced, commit: Date.now() - offsetsSent };
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      // A failed transaction can leave the producer fenced or in an unknown state: start a fresh one.
      const old = this.producer;
      this.producer = undefined;
      await old?.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Outputs with their partition chosen here, by kafkajs' default partitioner (so the same as before), to
   * know which partitions each send must be acknowledged by: see {@link assertWrittenExactlyOnce}.
   */
  private async withPartitions(outputs: OutboundMessage[]): Promise<PartitionedMessage[]> {
    const missing = [...new Set(outputs.map((m) => m.topic))].filter((t) => !this.partitionCounts.has(t));
    if (missing.length > 0) {
      const { topics } = await this.admin!.fetchTopicMetadata({ topics: missing });
      for (const t of topics) this.partitionCounts.set(t.name, t.partitions.length);
    }
    return outputs.map((m) => {
      const count = this.partitionCounts.get(m.topic);
      if (!count) throw new Error(`topic ${m.topic} has no partitions in the broker's metadata`);
      const partitionMetadata: PartitionMetadata[] = Array.from({ length: count }, (_, partitionId) => ({
        partitionErrorCode: 0,
        partitionId,
        leader: 0,
        replicas: [],
        isr: [],
      }));
      const partition = this.partitioner({
        topic: m.topic,
        partitionMetadata,
        message: { key: m.key, value: m.value },
      });
      // Written out: `{ ...m, partition }` costs microseconds per message on Node 20 (see the ingest's auditEvent).
      return { topic: m.topic, key: m.key, value: m.value, headers: m.headers, partition };
    });
  }

  /**
   * Seeks to the committed offset, not to the batch's first offset: if a commit succeeded but its
   * answer was lost, re-reading from the batch start would produce it twice.
   *
   * The broker's answer (kafkajs `fetchOffsets`, without KIP-447's `require_stable`) does not yet show a
   * transaction whose commit has returned while the coordinator is still writing its markers, so taken
   * alone it can be OLDER than what we committed a moment ago, and seeking there produced the previous
   * batch again (the hostile-input e2e test: 10-20 of 174 records twice in the DLQ and the audit log;
   * the three-broker fault test: a whole batch twice). Two defences: a producer that has committed is
   * replaced by one initialised afresh, which returns only once our last transaction is complete (the
   * case of a commit whose answer was lost), and the seek never goes below what this process itself saw
   * committed. Returns false when the broker could not be asked; the partition is not processed then.
   */
  private rewind(topic: string, partition: number): Promise<boolean> {
    return this.exclusively(() => this.rewindNow(topic, partition));
  }

  private async rewindNow(topic: string, partition: number): Promise<boolean> {
    const mode = this.options.mode;
    try {
      if (mode.kind === 'transactional' && (!this.producer || this.producerUsed)) {
        const old = this.producer;
        this.producer = undefined;
        await old?.disconnect().catch(() => undefined);
        this.producer = await this.newTransactionalProducer(mode.transactionalId);
      }
      const committed = await this.admin!.fetchOffsets({ groupId: this.options.groupId, topics: [topic] });
      const entry = committed[0]?.partitions.find((p) => p.partition === partition);
      const broker = entry && entry.offset !== '-1' ? BigInt(entry.offset) : undefined;
      const here = this.committedHere.get(`${topic}:${partition}`);
      const target = broker === undefined ? here : here === undefined || broker > here ? broker : here;
      // Nothing committed yet: nothing can have been committed by the failed attempt either, and
      // kafkajs' position is still where that attempt started; keep it.
      if (target !== undefined) this.consumer!.seek({ topic, partition, offset: target.toString() });
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
 * Outputs as produce requests, sent one after another within the transaction, each at most `maxBytes` of
 * keys, values and headers (at least one message, so an oversized output still moves), so no record
 * batch can exceed the broker's limit. Per-partition order is the outputs' order.
 *
 * Normally a request holds every partition that fits: a transaction writing the ~36 partitions of an
 * ingest fetch then costs one AddPartitionsToTxn and one produce per leader broker (about 45 ms here),
 * against a round trip of each per partition (about 330 ms) when `onePartitionPerRequest` is set. That
 * mode is the fallback for a kafkajs without this project's patch ({@link installedKafkajsPatches}),
 * whose multi-partition sends can append a batch twice when two leader brokers are involved.
 */
export function produceRequests<T extends PartitionedMessage>(
  outputs: T[],
  options: { maxBytes?: number; onePartitionPerRequest?: boolean } = {},
): T[][] {
  const maxBytes = options.maxBytes ?? MAX_PRODUCE_REQUEST_BYTES;
  if (!options.onePartitionPerRequest) return byteBoundedRequests(outputs, maxBytes);
  const byPartition = new Map<string, T[]>();
  for (const m of outputs) {
    const key = `${m.topic}:${m.partition}`;
    const list = byPartition.get(key);
    if (list) list.push(m);
    else byPartition.set(key, [m]);
  }
  const requests: T[][] = [];
  for (const messages of byPartition.values()) requests.push(...byteBoundedRequests(messages, maxBytes));
  return requests;
}

/** `outputs` in order, cut into requests of at most `maxBytes` (at least one message each). */
function byteBoundedRequests<T extends PartitionedMessage>(outputs: T[], maxBytes: number): T[][] {
  const requests: T[][] = [];
  let current: T[] = [];
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

/** An output with the partition it must be written to. */
export type PartitionedMessage = OutboundMessage & { partition: number };

/**
 * kafkajs 2.2.4 mishandles a multi-partition send that partly fails (producer/sendMessages.js keeps each
 * broker's answer in a map keyed by its connection object and re-sends to brokers "without response"),
 * in two ways the three-broker fault test found:
 * - a partition whose leader died moves to a broker that had already answered for other partitions of
 *   the same send: nothing more is sent to it and the send returns as done, so the partition is
 *   acknowledged but never written (missing from the answer);
 * - after the connection to the cluster is lost and re-made, a broker that had answered gets a new
 *   connection object, which has no answer yet, so its partitions are sent again with the NEXT sequence
 *   numbers and appended a second time (inside the transaction); the old answer stays in the map, so
 *   those partitions appear twice in the answer.
 * Either way the transaction is aborted (nothing of it becomes visible) and the batch retried. A partition
 * of a correct answer appears exactly once: one broker leads it, and a failed broker's answer is dropped.
 * (A third way, a retry re-sending to a broker whose first request was still in flight, appends twice
 * without showing in the answer; the kafkajs patch removes it: see {@link installedKafkajsPatches}.)
 */
export function assertWrittenExactlyOnce(
  request: readonly PartitionedMessage[],
  acknowledged: readonly RecordMetadata[],
): void {
  const answers = new Map<string, number>();
  for (const r of acknowledged) {
    const tp = `${r.topicName}:${r.partition}`;
    answers.set(tp, (answers.get(tp) ?? 0) + 1);
  }
  const sent = new Set(request.map((m) => `${m.topic}:${m.partition}`));
  const unwritten = [...sent].filter((tp) => !answers.has(tp));
  const twice = [...answers].filter(([, n]) => n > 1).map(([tp]) => tp);
  if (unwritten.length > 0 || twice.length > 0) {
    throw new Error(
      `kafkajs ${unwritten.length > 0 ? `acknowledged a send without writing to ${unwritten.join(', ')}` : ''}${unwritten.length > 0 && twice.length > 0 ? ' and ' : ''}${twice.length > 0 ? `wrote ${twice.join(', ')} twice` : ''}; aborting the transaction`,
    );
  }
}

function groupByTopic(messages: PartitionedMessage[]) {
  const byTopic = new Map<string, PartitionedMessage[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic);
    if (list) list.push(m);
    else byTopic.set(m.topic, [m]);
  }
  return [...byTopic].map(([topic, list]) => ({
    topic,
    messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers, partition: m.partition })),
  }));
}

/** A partition slice waiting for a shared transaction. */
interface Submission {
  inbound: InboundBatch;
  lastOffset: string;
  /** The group generation (join count) the slice was fetched in. */
  generation: number;
  resolve: (produced: number) => void;
  reject: (error: unknown) => void;
}

/** The consumed offsets of a transaction's slices, per topic, as `sendOffsets` takes them. */
function offsetsOf(slices: Submission[]) {
  const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const { inbound, lastOffset } of slices) {
    const partitions = byTopic.get(inbound.topic) ?? [];
    partitions.push({ partition: inbound.partition, offset: (BigInt(lastOffset) + 1n).toString() });
    byTopic.set(inbound.topic, partitions);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/** The consumer rejoined its group after the slice was fetched: it is read again from the committed offset. */
class StaleSliceError extends Error {
  constructor() {
    super(
      'the consumer group rebalanced after this batch was fetched; it is read again from the committed offset',
    );
    this.name = 'StaleSliceError';
  }
}

/** The app is stopping: a slice not yet in a transaction is left for whoever owns its partition next. */
class StoppingError extends Error {
  constructor() {
    super('stopping: the batch was not processed and stays uncommitted');
    this.name = 'StoppingError';
  }
}

/** The handler's work is durable (commit-after mode) but committing the consumed offsets failed. */
class OffsetCommitFailedError extends Error {
  constructor(override readonly cause: unknown) {
    super(`committing consumed offsets failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'OffsetCommitFailedError';
  }
}

/** An error whose `type` kafkajs' consumer runner reads as a rebalance: it rejoins the group at once. */
function rejoinRequest(error: Error): Error & { type: string } {
  return Object.assign(new Error(`${error.message}; rejoining the consumer group`), {
    type: 'NOT_COORDINATOR_FOR_GROUP',
  });
}
