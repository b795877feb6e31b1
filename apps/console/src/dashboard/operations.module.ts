import { DynamicModule, Module } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { HubConfig } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import { loadPartnership, loadPartnershipDir } from '@hub/partnership';
import { HubMetrics, TopicNames } from '@hub/platform';
import { loadRoutingTable } from '@hub/routing';
import { AlertsController } from '../alerts/alerts.controller';
import { AlertsService } from '../alerts/alerts.service';
import { PG_POOL } from '../console.tokens';
import { DestinationHealthService } from '../destinations/destination-health.service';
import { DestinationsController } from '../destinations/destinations.controller';
import { DestinationDlqController } from '../destinations/destination-dlq.controller';
import { DestinationDlqReader } from '../destinations/destination-dlq.reader';
import { ReplayDestinationDeadLettersUseCase } from '../destinations/replay-destination-dead-letters.use-case';
import { DeadLetterLocator } from '../dlq/dead-letter.locator';
import { DlqController } from '../dlq/dlq.controller';
import { ReplayDeadLettersUseCase } from '../dlq/replay-dead-letters.use-case';
import { ConsumerLagReader, INGEST_GROUP } from '../feeds/consumer-lag.reader';
import { feedDefinitions } from '../feeds/feed-definitions';
import { registerFeedHealthMetrics } from '../feeds/feed-health.metrics';
import { FeedHealthService } from '../feeds/feed-health.service';
import { FeedsController } from '../feeds/feeds.controller';
import { DashboardSeriesController } from './dashboard-series.controller';
import { DashboardSeriesService } from './dashboard-series.service';
import { DashboardController } from './dashboard.controller';
import { MeController } from './me.controller';
import { StreamController, StreamShutdown } from './stream.controller';

/** What the operations view takes from the console's start-up. */
export interface OperationsDeps {
  config: Readonly<HubConfig>;
  pool: Pool;
  kafka: Kafka;
  /** Connected admin client (lag, DLQ offsets). */
  admin: Admin;
  topics: TopicNames;
  metrics: HubMetrics;
  logger: Logger;
}

/** The operations view as a Nest module, and what to stop on shutdown. */
export interface Operations {
  module: DynamicModule;
  close(): Promise<void>;
}

/** Samples feed health (and with it the broker lag for the lag chart) even while nobody watches. */
const SAMPLE_EVERY_MS = 15_000;

/**
 * Feeds, destinations, dead letters and replay, alerts, the dashboard and its live stream: built once
 * from the partnership and routing configuration (loaded and validated here, at start-up).
 */
export function createOperations(deps: OperationsDeps): Operations {
  const { config, pool, kafka, admin, topics, metrics, logger } = deps;
  const partnership = config.PARTNERSHIP_DIR ? loadPartnershipDir(config.PARTNERSHIP_DIR) : loadPartnership();
  const activeDomains = new Set(ALL_ENTITIES.map((e) => e.domain));
  const routing = loadRoutingTable(config.ROUTES_FILE);

  const feeds = new FeedHealthService({
    pool,
    definitions: feedDefinitions(partnership, activeDomains),
    topics,
    lag: new ConsumerLagReader(admin, `${config.TOPIC_NAMESPACE}${INGEST_GROUP}`),
  });
  const destinations = new DestinationHealthService(
    pool,
    routing.allDestinations,
    topics,
    undefined,
    undefined,
    config.HUB_DELIVERY_URL,
  );
  const alerts = new AlertsService(feeds, destinations);
  const series = new DashboardSeriesService(pool, feeds);
  const streamShutdown = new StreamShutdown();
  const replay = new ReplayDeadLettersUseCase({
    pool,
    kafka,
    topics,
    locator: new DeadLetterLocator(kafka, admin, `${config.TOPIC_NAMESPACE}hub-console-dlq-reader-`),
    transactionalId: `${config.TOPIC_NAMESPACE}hub-console-replay-${config.HUB_INSTANCE_ID}`,
    onReplayed: () => feeds.invalidate(),
  });
  const destinationReplay = new ReplayDestinationDeadLettersUseCase({
    pool,
    kafka,
    topics,
    destinations: routing.allDestinations,
    reader: new DestinationDlqReader(
      kafka,
      admin,
      `${config.TOPIC_NAMESPACE}hub-console-destination-dlq-reader-`,
    ),
    transactionalId: `${config.TOPIC_NAMESPACE}hub-console-destination-replay-${config.HUB_INSTANCE_ID}`,
  });
  registerFeedHealthMetrics(metrics.registry, feeds, logger);

  const sampler = setInterval(() => {
    feeds.snapshot().catch((error: unknown) => logger.warn({ err: error }, 'feed health sample failed'));
  }, SAMPLE_EVERY_MS);
  sampler.unref();

  @Module({
    controllers: [
      DashboardController,
      MeController,
      FeedsController,
      DestinationsController,
      DestinationDlqController,
      DlqController,
      AlertsController,
      DashboardSeriesController,
      StreamController,
    ],
    providers: [
      { provide: PG_POOL, useValue: pool },
      { provide: FeedHealthService, useValue: feeds },
      { provide: DestinationHealthService, useValue: destinations },
      { provide: AlertsService, useValue: alerts },
      { provide: DashboardSeriesService, useValue: series },
      { provide: ReplayDeadLettersUseCase, useValue: replay },
      { provide: ReplayDestinationDeadLettersUseCase, useValue: destinationReplay },
      { provide: StreamShutdown, useValue: streamShutdown },
    ],
  })
  class OperationsModule {}

  return {
    module: { module: OperationsModule },
    close: async () => {
      clearInterval(sampler);
      streamShutdown.next();
      streamShutdown.complete();
      await replay.close();
      await destinationReplay.close();
    },
  };
}
