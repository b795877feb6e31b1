import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuditLogWriter, OpenLineageEmitter } from '@hub/audit';
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
const LINEAGE_EMITTER = Symbol('LINEAGE_EMITTER');
export const AUDIT_WRITER_GROUP = 'hub-audit-writer';

/** Receives hub.audit.v1 batches and persists them; nothing else. */
@Controller()
export class AuditBatchController {
  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: AuditLogWriter,
    @Inject(HUB_METRICS) private readonly metrics: HubMetrics,
    @Inject(LINEAGE_EMITTER) private readonly lineage: OpenLineageEmitter | null,
  ) {}

  @EventPattern(KAFKA_BATCH_PATTERN)
  async onBatch(@Payload() batch: InboundBatch): Promise<void> {
    const written = await this.writer.writeBatch(batch.partition, batch.messages);
    const byStage = new Map<string, number>();
    for (const event of written) byStage.set(event.stage, (byStage.get(event.stage) ?? 0) + 1);
    for (const [stage, count] of byStage) this.metrics.auditEventsWritten.inc({ stage }, count);
    this.lineage?.observe(written);
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
  // OpenLineage is fed from what the writer has durably stored, so lineage tools never show a flow the
  // audit log does not prove. Off unless a sink is configured.
  const lineage =
    config.OPENLINEAGE_URL || config.OPENLINEAGE_FILE
      ? new OpenLineageEmitter({
          namespace: config.OPENLINEAGE_NAMESPACE,
          kafkaNamespace: `kafka://${config.KAFKA_BROKERS[0]}`,
          sinks: { url: config.OPENLINEAGE_URL, file: config.OPENLINEAGE_FILE },
          topicNamespace: config.TOPIC_NAMESPACE,
        })
      : null;
  const flushTimer = lineage
    ? setInterval(() => void lineage.flush(), config.OPENLINEAGE_FLUSH_MS)
    : undefined;
  return startConsumerApp({
    name: 'audit-writer',
    settings: config,
    groupId: AUDIT_WRITER_GROUP,
    consumes: [topics.audit],
    ensure: [{ topic: topics.audit }],
    commit: 'commit-after',
    // Fewer, larger batches: each is a Postgres commit, and lineage can wait half a second.
    fetchLinger: { minBytes: config.AUDIT_FETCH_MIN_BYTES, maxWaitMs: config.AUDIT_FETCH_MAX_WAIT_MS },
    controller: AuditBatchController,
    providers: () => [
      { provide: AUDIT_WRITER, useValue: new AuditLogWriter(pool) },
      { provide: LINEAGE_EMITTER, useValue: lineage },
    ],
    extraReadiness: [{ name: 'postgres', check: async () => void (await pool.query('SELECT 1')) }],
    beforeClose: async () => {
      clearInterval(flushTimer);
      await lineage?.flush(new Date(), 'COMPLETE');
      await pool.end().catch(() => undefined);
    },
  });
}
