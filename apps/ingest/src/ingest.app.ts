import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HubConfig } from '@hub/config';
import { setValidatorCrossCheck } from '@hub/mapping';
import { createPgPool } from '@hub/persistence';
import {
  HubApp,
  InboundBatch,
  KAFKA_BATCH_PATTERN,
  OutboundMessage,
  TopicNames,
  startConsumerApp,
} from '@hub/platform';
import { FeedCatalogue } from './feed-catalogue.port';
import { RecentTransforms } from './recent-transforms.cache';
import { AuditLogTransformHistory } from './transform-history.adapter';
import { TransformBatchUseCase } from './transform-batch.use-case';

export const INGEST_GROUP = 'hub-ingest';

/** Connections for the one history query per batch (one partition batch is processed at a time). */
const HISTORY_POOL_SIZE = 2;

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
 * canonical records, DLQ records and audit events in one transaction per batch. Needs Postgres: the
 * audit log's `transformed` and `rejected` events are the durable memory of the duplicate and order rules.
 */
export async function startIngest(config: Readonly<HubConfig>, catalogue: FeedCatalogue): Promise<HubApp> {
  setValidatorCrossCheck(config.HUB_VALIDATOR_CROSSCHECK);
  const topics = new TopicNames(config.TOPIC_NAMESPACE);
  const feeds = catalogue.feeds();
  const councilTopics = feeds.map((f) => topics.council(f.council, f.domain));
  const pool = createPgPool(config.DATABASE_URL!, config.DATABASE_SCHEMA, HISTORY_POOL_SIZE);
  let useCase: TransformBatchUseCase | undefined;
  try {
    return await startConsumerApp({
      name: 'ingest',
      settings: config,
      groupId: INGEST_GROUP,
      consumes: councilTopics,
      // read_committed: a council's non-transactional records are visible at once either way, but rows the
      // console's files API (or a council) wrote in a transaction that then aborted must never become
      // canonical records: the broker did not accept them. read_uncommitted delivered them (issue 6 §1;
      // test/faults/graceful-shutdown.e2e.ts writes such records and counts them).
      readCommitted: true,
      ensure: [
        ...councilTopics.map((topic) => ({ topic })),
        ...feeds.map((f) => ({ topic: topics.dlq(f.council, f.domain) })),
        ...catalogue.entities().map((e) => ({ topic: topics.canonical(e.domain, e.entity) })),
        { topic: topics.audit },
      ],
      commit: 'transactional',
      controller: IngestBatchController,
      providers: ({ metrics }) => {
        useCase = new TransformBatchUseCase(
          catalogue,
          topics,
          metrics,
          { maxRecordBytes: config.MAX_RECORD_BYTES },
          new AuditLogTransformHistory(pool),
          new RecentTransforms(),
        );
        return [{ provide: TransformBatchUseCase, useValue: useCase }];
      },
      // One audit-log lookup per transaction rather than per partition batch.
      prepareTransaction: async (batches) => useCase?.prefetch(batches),
      // Only a committed batch's outcomes may be remembered (an aborted one is retried and decided again).
      onCommitted: (batch) => useCase?.committed(batch),
      // What an aborted transaction's batches decided never left the hub: their retries decide afresh.
      onFailed: (batch) => useCase?.aborted(batch),
      extraReadiness: [{ name: 'postgres', check: async () => void (await pool.query('SELECT 1')) }],
      beforeClose: () => pool.end().catch(() => undefined),
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
