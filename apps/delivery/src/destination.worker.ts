import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { BatchConsumerRunner, HubMetrics, InboundBatch, LogEvents } from '@hub/platform';
import type { HttpDestination } from '@hub/routing';
import { DeliverBatchUseCase, DeliveryTally } from './deliver-batch.use-case';
import { CircuitStatus, HttpDeliveryClient } from './http-delivery.client';

/** What `/health/destinations` shows for one destination. */
export interface DestinationStatus {
  destination: string;
  /** `degraded` while the circuit is not closed or a batch is being retried; never `down` (the app still works for the others). */
  status: 'up' | 'degraded';
  circuit: CircuitStatus;
  pausedUntil: string | null;
  retryingBatch: boolean;
}

/** What a {@link DestinationWorker} is built from; the app wires one per HTTP destination. */
export interface DestinationWorkerOptions {
  kafka: Kafka;
  logger: Logger;
  metrics: HubMetrics;
  /** Consumer group, namespaced: one per destination, so one destination's back-pressure holds up no other. */
  groupId: string;
  topic: string;
  client: HttpDeliveryClient;
  useCase: DeliverBatchUseCase;
  instanceId: string;
  maxBytesPerPartition: number;
  /** KAFKA_SESSION_TIMEOUT_MS and KAFKA_TRANSACTION_TIMEOUT_MS, as the other consumers use them. */
  sessionTimeoutMs?: number;
  transactionTimeoutMs?: number;
}

const STAGE = 'delivery';

/**
 * HTTP calls are made one after another inside a transaction, so its size is its duration: a slice of
 * 256 KiB (about 240 records) per partition, three partitions shared, was minutes of work before one
 * commit when the SSC answered in 500 ms (bench soak), leaving audit rows and metrics minutes behind and
 * a crash to re-send all of it. 50 records of one partition per transaction: 25 s at 500 ms a call,
 * well under a second for a healthy endpoint. Sharing transactions across partitions saves nothing here.
 */
const RECORDS_PER_TRANSACTION = 50;

/**
 * One HTTP destination's delivery loop: its own consumer group and transactional producer on
 * `hub.delivery.<destination>`, its own HTTP pool and circuit breaker. Metrics are counted once a
 * batch has committed, so a batch that is aborted and re-run is not counted twice.
 */
export class DestinationWorker {
  private readonly runner: BatchConsumerRunner;
  private readonly tallies = new WeakMap<InboundBatch, DeliveryTally[]>();
  private readonly logger: Logger;

  constructor(
    readonly destination: HttpDestination,
    private readonly options: DestinationWorkerOptions,
  ) {
    const { metrics } = options;
    this.logger = options.logger.child({ destination: destination.id });
    this.runner = new BatchConsumerRunner({
      kafka: options.kafka,
      groupId: options.groupId,
      topics: [options.topic],
      logger: this.logger,
      readCommitted: true,
      maxBytesPerPartition: options.maxBytesPerPartition,
      maxRecordsPerTransaction: RECORDS_PER_TRANSACTION,
      maxPartitionsPerCommit: 1,
      sessionTimeoutMs: options.sessionTimeoutMs,
      transactionTimeoutMs: options.transactionTimeoutMs,
      mode: {
        kind: 'transactional',
        // Stable per instance and destination: a restarted instance fences its own zombie transactions.
        transactionalId: `${options.groupId}-${options.instanceId}`,
        handler: async (batch) => {
          const result = await options.useCase.execute(batch);
          this.tallies.set(batch, result.tallies);
          return result.outputs;
        },
      },
      onCommitted: (batch, _produced, elapsedMs) => {
        metrics.batchDuration.observe({ stage: STAGE }, elapsedMs / 1000);
        for (const t of this.tallies.get(batch) ?? []) this.count(t);
      },
      onTransaction: ({ partitions, phasesMs }) => {
        metrics.transactionPartitions.observe({ stage: STAGE }, partitions);
        for (const [phase, ms] of Object.entries(phasesMs))
          metrics.transactionPhase.observe({ stage: STAGE, phase }, ms / 1000);
      },
      onFailed: () => metrics.batchFailures.inc({ stage: STAGE }),
      onKafkaRequest: (client, api) => metrics.kafkaRequests.inc({ stage: STAGE, client, api }),
    });
  }

  get client(): HttpDeliveryClient {
    return this.options.client;
  }

  start(): Promise<void> {
    return this.runner.start();
  }

  /** Stops consuming (the in-flight batch is abandoned uncommitted and re-sent by the next run), then closes the HTTP pool. */
  async stop(): Promise<void> {
    const stopping = this.runner.stop();
    this.options.client.abort();
    await stopping;
    await this.options.client.close();
  }

  status(): DestinationStatus {
    const circuit = this.options.client.circuit;
    const retryingBatch = this.runner.degraded;
    return {
      destination: this.destination.id,
      status: circuit === 'closed' && !retryingBatch ? 'up' : 'degraded',
      circuit,
      pausedUntil: this.options.client.pausedUntil?.toISOString() ?? null,
      retryingBatch,
    };
  }

  private count(t: DeliveryTally): void {
    const { metrics } = this.options;
    metrics.deliveries.inc({ destination: this.destination.id, outcome: t.outcome });
    if (t.endToEndMs !== null)
      metrics.deliveryLatency.observe({ destination: this.destination.id }, t.endToEndMs / 1000);
    const fields = {
      deliveryId: t.deliveryId,
      canonicalId: t.canonicalId,
      attempts: t.attempts,
      status: t.status,
    };
    if (t.outcome === 'delivered') this.logger.debug(fields, 'delivered');
    else this.logger.warn({ ...fields, outcome: t.outcome }, LogEvents.DELIVERY_FAILED);
  }
}
