import { Module } from '@nestjs/common';
import { ConstantBackoff, handleWhen, retry } from 'cockatiel';
import { Gauge } from 'prom-client';
import { HubConfig } from '@hub/config';
import {
  HubApp,
  HubMetrics,
  PlatformModule,
  TopicNames,
  bootstrapHubApp,
  createKafka,
  createLogger,
  ensureTopics,
} from '@hub/platform';
import { HttpDestination, RoutingTable } from '@hub/routing';
import { DeliverBatchUseCase } from './deliver-batch.use-case';
import { DeliveryPolicySettings, policyFor } from './delivery-policy';
import { DELIVERY_WORKERS } from './delivery.tokens';
import { DestinationWorker } from './destination.worker';
import { DestinationsHealthController } from './destinations-health.controller';
import { CircuitStatus, HttpDeliveryClient } from './http-delivery.client';

/** Consumer group of a destination's worker, before namespacing: `hub-delivery-<destination>`. */
export const deliveryGroup = (destination: string): string => `hub-delivery-${destination}`;

/** Gauge of each destination's circuit (0 closed, 1 half-open, 2 open, 3 paused by Retry-After). */
export const CIRCUIT_STATE_METRIC = 'hub_delivery_circuit_state';
const CIRCUIT_VALUES: Record<CircuitStatus, number> = { closed: 0, 'half-open': 1, open: 2, paused: 3 };

/** Options for {@link startDelivery} beyond HubConfig and the routing table. */
export interface DeliveryAppOptions {
  /** Overrides of the delivery policy defaults for every destination (tests shorten back-offs). */
  policy?: Partial<DeliveryPolicySettings>;
}

/**
 * Starts the delivery worker: one consumer per HTTP destination of the routing table, each reading
 * `hub.delivery.<destination>` (read-committed: only what the router committed) in its own consumer
 * group, POSTing records in order and committing DLQ records and audit events with the offsets.
 */
export async function startDelivery(
  config: Readonly<HubConfig>,
  table: RoutingTable,
  options: DeliveryAppOptions = {},
): Promise<HubApp> {
  const logger = createLogger('delivery', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID });
  const metrics = new HubMetrics('delivery');
  const kafka = createKafka(config.KAFKA_BROKERS, `delivery-${config.HUB_INSTANCE_ID}`, logger);
  const topics = new TopicNames(config.TOPIC_NAMESPACE);
  const destinations = table.allDestinations.filter((d): d is HttpDestination => d.kind === 'http');
  if (destinations.length === 0)
    logger.warn('the routing table has no HTTP destinations; nothing to deliver');

  // Right after creating a topic a broker can briefly answer "does not host this topic-partition" while
  // ensureTopics waits for leaders (kafkajs only waits out LEADER_NOT_AVAILABLE): try again on retriable errors.
  await retry(handleWhen(isRetriableKafkaError), {
    maxAttempts: 3,
    backoff: new ConstantBackoff(500),
  }).execute(() =>
    ensureTopics(
      kafka,
      [
        ...destinations.flatMap((d) => [topics.delivery(d.id), topics.destinationDlq(d.id)]),
        topics.audit,
      ].map((topic) => ({ topic })),
      { partitions: config.TOPIC_PARTITIONS, replicationFactor: config.TOPIC_REPLICATION },
    ),
  );
  const workers = destinations.map((destination) => {
    const client = new HttpDeliveryClient(destination, policyFor(destination, options.policy));
    return new DestinationWorker(destination, {
      kafka,
      logger,
      metrics,
      groupId: `${config.TOPIC_NAMESPACE}${deliveryGroup(destination.id)}`,
      topic: topics.delivery(destination.id),
      client,
      useCase: new DeliverBatchUseCase(destination, client, topics),
      instanceId: config.HUB_INSTANCE_ID,
      maxBytesPerPartition: config.CONSUMER_MAX_BYTES_PER_PARTITION,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      transactionTimeoutMs: config.KAFKA_TRANSACTION_TIMEOUT_MS,
    });
  });
  new Gauge({
    name: CIRCUIT_STATE_METRIC,
    help: 'Circuit breaker state per HTTP destination: 0 closed, 1 half-open, 2 open, 3 paused (Retry-After)',
    labelNames: ['destination'] as const,
    registers: [metrics.registry],
    collect() {
      for (const w of workers) this.set({ destination: w.destination.id }, CIRCUIT_VALUES[w.client.circuit]);
    },
  });

  const admin = kafka.admin();
  const stopWorkers = async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await admin.disconnect().catch(() => undefined);
  };
  try {
    await admin.connect();
    await Promise.all(workers.map((w) => w.start()));
    for (const w of workers)
      logger.info({ destination: w.destination.id, settings: w.client.settings }, 'delivering');

    @Module({
      imports: [
        PlatformModule.forRoot({
          logger,
          metrics,
          // Only what makes this instance useless; a destination that is down shows in /health/destinations.
          readiness: [{ name: 'kafka', check: async () => void (await admin.describeCluster()) }],
        }),
      ],
      controllers: [DestinationsHealthController],
      providers: [{ provide: DELIVERY_WORKERS, useValue: workers }],
    })
    class DeliveryAppModule {}

    return await bootstrapHubApp({
      name: 'delivery',
      module: DeliveryAppModule,
      logger,
      host: config.HTTP_HOST,
      port: config.HTTP_PORT,
      beforeClose: stopWorkers,
    });
  } catch (error) {
    await stopWorkers();
    throw error;
  }
}

function isRetriableKafkaError(error: Error): boolean {
  return (error as Error & { retriable?: unknown }).retriable === true;
}
