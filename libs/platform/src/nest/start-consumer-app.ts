import { Module, Provider, Type } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Kafka } from 'kafkajs';
import { BatchConsumerRunner, InboundBatch } from '../kafka/batch-consumer.runner';
import { createKafka } from '../kafka/kafka-client.factory';
import { KafkaBatchTransport } from '../kafka/kafka-batch.transport';
import { OutboundMessage } from '../kafka/kafka-message';
import { TopicSpec, ensureTopics } from '../kafka/topic.provisioner';
import { createLogger } from '../observability/logger';
import { HubMetrics } from '../observability/metrics';
import { HubApp, bootstrapHubApp } from './bootstrap-hub-app';
import { PlatformModule } from './platform.module';
import { ReadinessCheck } from './readiness';

/** The settings every consumer app takes from HubConfig. */
export interface ConsumerAppSettings {
  KAFKA_BROKERS: string[];
  TOPIC_NAMESPACE: string;
  HUB_INSTANCE_ID: string;
  HTTP_HOST: string;
  HTTP_PORT: number;
  LOG_LEVEL: string;
  TOPIC_PARTITIONS: number;
  TOPIC_REPLICATION: number;
  CONSUMER_MAX_BYTES_PER_PARTITION: number;
  KAFKA_SESSION_TIMEOUT_MS?: number;
  KAFKA_TRANSACTION_TIMEOUT_MS?: number;
}

/** What the app adds to the common frame. */
export interface ConsumerAppSpec {
  name: string;
  settings: ConsumerAppSettings;
  /** Consumer group, before namespacing. */
  groupId: string;
  consumes: string[];
  /** Topics to create if missing (consumed and produced). */
  ensure: TopicSpec[];
  /** `transactional`: handler returns outputs, committed with offsets; `commit-after`: handler persists itself. */
  commit: 'transactional' | 'commit-after';
  /** The controller holding the `@EventPattern(KAFKA_BATCH_PATTERN)` handler. */
  controller: Type<unknown>;
  /** Providers for the controller, built with the shared logger, metrics and Kafka client. */
  providers: (ctx: { logger: Logger; metrics: HubMetrics; kafka: Kafka }) => Provider[];
  extraReadiness?: ReadinessCheck[];
  beforeClose?: () => Promise<void>;
  readCommitted?: boolean;
  /**
   * Called after a batch's outputs and offsets were committed (never for an aborted batch): what an app
   * may only remember once it is durable, such as the ingest's recently transformed events.
   */
  onCommitted?: (batch: InboundBatch) => void;
  /**
   * Called when a batch's transaction was aborted or its handler failed (it will be read again from the
   * committed offset): what an app noted while handling it must be forgotten.
   */
  onFailed?: (batch: InboundBatch) => void;
  /** Transactional apps: see the runner's `TransactionalMode.prepare`. */
  prepareTransaction?: (batches: InboundBatch[]) => Promise<void>;
  /** See the runner's `fetchLinger`: for consumers off the delivery path. */
  fetchLinger?: { minBytes: number; maxWaitMs: number };
}

/**
 * The common frame of the hub's Kafka-consuming apps (ingest, router, audit writer): logger, metrics,
 * topics, the batch transport, health and readiness. Each app supplies its controller and use case.
 */
export async function startConsumerApp(spec: ConsumerAppSpec): Promise<HubApp> {
  const s = spec.settings;
  const logger = createLogger(spec.name, { level: s.LOG_LEVEL, instanceId: s.HUB_INSTANCE_ID });
  const metrics = new HubMetrics(spec.name);
  const kafka = createKafka(s.KAFKA_BROKERS, `${spec.name}-${s.HUB_INSTANCE_ID}`, logger);
  await ensureTopics(kafka, spec.ensure, {
    partitions: s.TOPIC_PARTITIONS,
    replicationFactor: s.TOPIC_REPLICATION,
  });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${s.TOPIC_NAMESPACE}${spec.groupId}`;

  const transport = new KafkaBatchTransport(
    (handler) =>
      new BatchConsumerRunner({
        kafka,
        groupId,
        topics: spec.consumes,
        logger,
        readCommitted: spec.readCommitted ?? true,
        maxBytesPerPartition: s.CONSUMER_MAX_BYTES_PER_PARTITION,
        fetchLinger: spec.fetchLinger,
        sessionTimeoutMs: s.KAFKA_SESSION_TIMEOUT_MS,
        transactionTimeoutMs: s.KAFKA_TRANSACTION_TIMEOUT_MS,
        mode:
          spec.commit === 'transactional'
            ? {
                kind: 'transactional',
                // Stable per instance: a restarted instance fences its own zombie transactions.
                transactionalId: `${groupId}-${s.HUB_INSTANCE_ID}`,
                handler: async (batch: InboundBatch) =>
                  ((await handler(batch)) as OutboundMessage[] | undefined) ?? [],
                prepare: spec.prepareTransaction,
              }
            : { kind: 'commit-after', handler: async (batch: InboundBatch) => void (await handler(batch)) },
        onCommitted: (batch, _n, ms) => {
          metrics.batchDuration.observe({ stage: spec.name }, ms / 1000);
          spec.onCommitted?.(batch);
        },
        onTransaction: ({ partitions, phasesMs }) => {
          metrics.transactionPartitions.observe({ stage: spec.name }, partitions);
          for (const [phase, ms] of Object.entries(phasesMs))
            metrics.transactionPhase.observe({ stage: spec.name, phase }, ms / 1000);
        },
        onFailed: (batch) => {
          metrics.batchFailures.inc({ stage: spec.name });
          spec.onFailed?.(batch);
        },
        onKafkaRequest: (client, api) => metrics.kafkaRequests.inc({ stage: spec.name, client, api }),
      }),
  );

  const readiness: ReadinessCheck[] = [
    { name: 'kafka', check: async () => void (await admin.describeCluster()) },
    {
      name: 'consumer',
      check: async () => {
        if (transport.consumer?.degraded) throw new Error('the last batch failed and is being retried');
      },
    },
    ...(spec.extraReadiness ?? []),
  ];

  @Module({
    imports: [PlatformModule.forRoot({ logger, metrics, readiness })],
    controllers: [spec.controller],
    providers: spec.providers({ logger, metrics, kafka }),
  })
  class ConsumerAppModule {}

  return bootstrapHubApp({
    name: spec.name,
    module: ConsumerAppModule,
    logger,
    host: s.HTTP_HOST,
    port: s.HTTP_PORT,
    transport,
    beforeClose: async () => {
      await transport.close();
      await spec.beforeClose?.();
      await admin.disconnect().catch(() => undefined);
    },
  });
}
