import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuditLogWriter } from '@hub/audit';
import { HubConfig } from '@hub/config';
import {
  HUB_METRICS,
  HubApp,
  HubMetrics,
  InboundBatch,
  KAFKA_BATCH_PATTERN,
  TopicNames,
  startConsumerApp,
} from '@hub/platform';
import { createPgPool } from '@hub/persistence';

const AUDIT_WRITER = Symbol('AUDIT_WRITER');
export const AUDIT_WRITER_GROUP = 'hub-audit-writer';

/** Receives hub.audit.v1 batches and persists them; nothing else. */
@Controller()
export class AuditBatchController {
  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: AuditLogWriter,
    @Inject(HUB_METRICS) private readonly metrics: HubMetrics,
  ) {}

  @EventPattern(KAFKA_BATCH_PATTERN)
  async onBatch(@Payload() batch: InboundBatch): Promise<void> {
    const written = await this.writer.writeBatch(batch.partition, batch.messages);
    this.metrics.auditEventsWritten.inc(written);
  }
}

/**
 * Starts the audit writer: consumes hub.audit.v1 (read-committed: only events of committed
 * transactions) and COPYs them into Postgres, committing Kafka offsets after the database commit.
 * When Postgres is down, batches fail and are retried from the committed offset: the writer catches
 * up from Kafka once the database is back.
 */
export async function startAuditWriter(config: Readonly<HubConfig>): Promise<HubApp> {
  const topics = new TopicNames(config.TOPIC_NAMESPACE);
  const pool = createPgPool(config.DATABASE_URL!, config.DATABASE_SCHEMA, 4);
  return startConsumerApp({
    name: 'audit-writer',
    settings: config,
    groupId: AUDIT_WRITER_GROUP,
    consumes: [topics.audit],
    ensure: [{ topic: topics.audit }],
    commit: 'commit-after',
    controller: AuditBatchController,
    providers: () => [{ provide: AUDIT_WRITER, useValue: new AuditLogWriter(pool) }],
    extraReadiness: [{ name: 'postgres', check: async () => void (await pool.query('SELECT 1')) }],
    beforeClose: () => pool.end().catch(() => undefined),
  });
}
