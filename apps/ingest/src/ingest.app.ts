import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HubConfig } from '@hub/config';
import { HubApp, InboundBatch, KAFKA_BATCH_PATTERN, OutboundMessage, TopicNames, startConsumerApp } from '@hub/platform';
import { FeedCatalogue } from './feed-catalogue.port';
import { TransformBatchUseCase } from './transform-batch.use-case';

export const INGEST_GROUP = 'hub-ingest';

/** Receives a council-topic batch, hands it to the use case, returns what to produce. */
@Controller()
export class IngestBatchController {
  constructor(@Inject(TransformBatchUseCase) private readonly useCase: TransformBatchUseCase) {}

  @EventPattern(KAFKA_BATCH_PATTERN)
  onBatch(@Payload() batch: InboundBatch): Promise<OutboundMessage[]> {
    return this.useCase.execute(batch);
  }
}

/**
 * Starts the ingest: consumes every configured `council.<council>.<domain>` topic and writes
 * canonical records, DLQ records and audit events in one transaction per batch.
 */
export async function startIngest(config: Readonly<HubConfig>, catalogue: FeedCatalogue): Promise<HubApp> {
  const topics = new TopicNames(config.TOPIC_NAMESPACE);
  const feeds = catalogue.feeds();
  const councilTopics = feeds.map((f) => topics.council(f.council, f.domain));
  return startConsumerApp({
    name: 'ingest',
    settings: config,
    groupId: INGEST_GROUP,
    consumes: councilTopics,
    // Council topics carry what councils send; read everything, committed or not (they may not use transactions).
    readCommitted: false,
    ensure: [
      ...councilTopics.map((topic) => ({ topic })),
      ...feeds.map((f) => ({ topic: topics.dlq(f.council, f.domain) })),
      ...catalogue.entities().map((e) => ({ topic: topics.canonical(e.domain, e.entity) })),
      { topic: topics.audit },
    ],
    commit: 'transactional',
    controller: IngestBatchController,
    providers: ({ metrics }) => [
      {
        provide: TransformBatchUseCase,
        useValue: new TransformBatchUseCase(catalogue, topics, metrics, { maxRecordBytes: config.MAX_RECORD_BYTES }),
      },
    ],
  });
}
