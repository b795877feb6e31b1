import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HubConfig } from '@hub/config';
import {
  Domain,
  HubApp,
  InboundBatch,
  KAFKA_BATCH_PATTERN,
  OutboundMessage,
  TopicNames,
  startConsumerApp,
} from '@hub/platform';
import { RoutingTable } from '@hub/routing';
import { RouteBatchUseCase } from './route-batch.use-case';

export const ROUTER_GROUP = 'hub-router';

@Controller()
export class RouterBatchController {
  constructor(@Inject(RouteBatchUseCase) private readonly useCase: RouteBatchUseCase) {}

  @EventPattern(KAFKA_BATCH_PATTERN)
  onBatch(@Payload() batch: InboundBatch): OutboundMessage[] {
    return this.useCase.execute(batch);
  }
}

/**
 * Starts the router: consumes every canonical topic (read-committed: only what the ingest committed)
 * and delivers to the shared-service centre's Kafka destinations per the routing table; records for
 * HTTP destinations go to their delivery worker's topic (apps/delivery).
 */
export async function startRouter(
  config: Readonly<HubConfig>,
  table: RoutingTable,
  entities: Array<{ domain: Domain; entity: string }>,
): Promise<HubApp> {
  const topics = new TopicNames(config.TOPIC_NAMESPACE);
  const canonicalTopics = entities.map((e) => topics.canonical(e.domain, e.entity));
  // Kafka destinations are written to directly; HTTP ones through their delivery worker's topic.
  const destinationTopics = table.allDestinations.map((d) =>
    d.kind === 'kafka' ? topics.ssc(d.service) : topics.delivery(d.id),
  );
  return startConsumerApp({
    name: 'router',
    settings: config,
    groupId: ROUTER_GROUP,
    consumes: canonicalTopics,
    ensure: [...canonicalTopics, ...destinationTopics, topics.audit].map((topic) => ({ topic })),
    commit: 'transactional',
    controller: RouterBatchController,
    providers: ({ metrics }) => [
      { provide: RouteBatchUseCase, useValue: new RouteBatchUseCase(table, topics, metrics) },
    ],
  });
}
