import type { IHeaders } from 'kafkajs';
import type { Pool } from 'pg';
import { AuditLogWriter, GENESIS_HASH, chainHash, chainedFieldsOf, decodeAuditBatch } from '@hub/audit';
import { createPgPool, migrate } from '@hub/persistence';
import { ConsumedMessage, HubMetrics, InboundBatch, OutboundMessage, TopicNames } from '@hub/platform';
import { createFeedCatalogue } from '../../../apps/ingest/src/feed-catalogue.adapter';
import type { FeedCatalogue } from '../../../apps/ingest/src/feed-catalogue.port';
import { RecentTransforms } from '../../../apps/ingest/src/recent-transforms.cache';
import { AuditLogTransformHistory } from '../../../apps/ingest/src/transform-history.adapter';
import { TransformBatchUseCase } from '../../../apps/ingest/src/transform-batch.use-case';
import { RouteBatchUseCase } from '../../../apps/router/src/route-batch.use-case';
import { round } from '../measure/throughput-series.builder';
import type { StageCostResult } from '../report/bench-results.model';
import type { BenchRecordSet } from '../workload/bench-record.factory';
import type { BenchContext } from './bench-context.types';

const BATCHES = 12;

function consumed(
  topic: string,
  offset: number,
  key: string | Buffer | null,
  value: Buffer,
  headers: Record<string, string>,
): ConsumedMessage {
  return {
    topic,
    partition: 0,
    offset: String(offset),
    key: key === null ? null : Buffer.isBuffer(key) ? key : Buffer.from(key),
    value,
    headers,
    rawHeaders: headers as IHeaders,
    timestamp: String(Date.now()),
  };
}

const asBuffer = (v: string | Buffer | null): Buffer =>
  v === null ? Buffer.alloc(0) : Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');

/** Loops over `items` for `ms`; returns items per CPU-second of this process and per wall second. */
async function timeLoop<T>(
  ms: number,
  items: readonly T[],
  perItem: (item: T) => number,
  step: (item: T) => Promise<unknown> | unknown,
): Promise<{ perCore: number; perWall: number }> {
  let done = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = Date.now() + ms;
  for (let i = 0; Date.now() < deadline || i === 0; i++) {
    const item = items[i % items.length]!;
    await step(item);
    done += perItem(item);
  }
  const used = process.cpuUsage(cpu);
  return {
    perCore: done / Math.max((used.user + used.system) / 1e6, 1e-6),
    perWall: done / (Number(process.hrtime.bigint() - started) / 1e9),
  };
}

/**
 * What each stage's own code costs per record on one core, in-process and without Kafka, on the bench's
 * record mix: the ingest use case (envelope, parse, map, canonical JSON, audit events), the router use case
 * (JSON.parse of the canonical record, routing, audit events), the audit writer's per-event hashing, and
 * AuditLogWriter.writeBatch into the bench Postgres (COPY, hash chain, one transaction per call). Compared
 * with the end-to-end rate, this says whether a stage is CPU-bound in its own code or waiting on I/O.
 */
export async function runStageCost(ctx: BenchContext): Promise<StageCostResult> {
  const topics = new TopicNames('stage.');
  const batchSize = ctx.options.stageBatch;
  const set = await ctx.factory.make(batchSize * BATCHES, { prefix: 'stage', topics, canonical: false });
  const catalogue = createFeedCatalogue(ctx.catalogue.partnership, ctx.catalogue.registry);
  const metrics = new HubMetrics('bench-stage');
  // The ingest's duplicate/order check queries the audit log once per batch: a real (empty) audit schema.
  const schema = `bench_${ctx.runId}_stages`;
  ctx.schemas.push(schema);
  await migrate(ctx.infra.databaseUrl, schema);
  const pool = createPgPool(ctx.infra.databaseUrl, schema, 2);
  pool.on('error', () => undefined);
  try {
    return await measure(ctx, { topics, batchSize, set, catalogue, metrics, pool });
  } finally {
    await pool.end();
  }
}

async function measure(
  ctx: BenchContext,
  env: {
    topics: TopicNames;
    batchSize: number;
    set: BenchRecordSet;
    catalogue: FeedCatalogue;
    metrics: HubMetrics;
    pool: Pool;
  },
): Promise<StageCostResult> {
  const { topics, batchSize, set, catalogue, metrics, pool } = env;
  // Never told about commits (TransformBatchUseCase.committed), so every pass transforms the records afresh
  // instead of recognising them as duplicates: the cost of new records, including the history query.
  const ingest = new TransformBatchUseCase(
    catalogue,
    topics,
    metrics,
    { maxRecordBytes: 1_048_576 },
    new AuditLogTransformHistory(pool),
    new RecentTransforms(),
  );
  const router = new RouteBatchUseCase(ctx.catalogue.routing, topics, metrics);

  // Ingest batches: one per council topic slice, as a partition batch would be.
  const byTopic = new Map<string, ConsumedMessage[]>();
  set.records.forEach((r, i) => {
    const list = byTopic.get(r.topic) ?? [];
    byTopic.set(r.topic, list);
    list.push(consumed(r.topic, i, r.key, r.value, r.headers));
  });
  const ingestBatches: InboundBatch[] = [];
  for (const [topic, messages] of byTopic) {
    for (let i = 0; i < messages.length; i += batchSize)
      ingestBatches.push({ topic, partition: 0, messages: messages.slice(i, i + batchSize) });
  }
  // Each pass decides its batches afresh: forgetting them as an aborted transaction would (the use case
  // otherwise takes a repeated batch for duplicates of its uncommitted first pass, a cheaper path).
  const decideAfresh = async (b: InboundBatch): Promise<OutboundMessage[]> => {
    const out = await ingest.execute(b);
    ingest.aborted(b);
    return out;
  };
  const ingestOut: OutboundMessage[] = [];
  for (const b of ingestBatches) ingestOut.push(...(await decideAfresh(b)));
  // Warm-up pass (JIT, validator metadata), then the timed loop.
  await timeLoop(
    Math.min(1_000, ctx.options.measureMs),
    ingestBatches,
    (b) => b.messages.length,
    decideAfresh,
  );
  const ingestRate = await timeLoop(
    ctx.options.measureMs,
    ingestBatches,
    (b) => b.messages.length,
    decideAfresh,
  );
  ctx.log(
    `stages: ingest use case ${round(ingestRate.perCore, 0)} records/s per core (wall ${round(ingestRate.perWall, 0)}/s; one history query per batch included)`,
  );

  const canonicalByTopic = new Map<string, ConsumedMessage[]>();
  const auditMessages: Buffer[] = [];
  ingestOut.forEach((m, i) => {
    if (m.topic === topics.audit) auditMessages.push(asBuffer(m.value));
    else if (m.topic.startsWith(`${topics.namespace}canonical.`)) {
      const list = canonicalByTopic.get(m.topic) ?? [];
      canonicalByTopic.set(m.topic, list);
      list.push(consumed(m.topic, i, m.key, asBuffer(m.value), {}));
    }
  });
  const routerBatches: InboundBatch[] = [];
  for (const [topic, messages] of canonicalByTopic) {
    for (let i = 0; i < messages.length; i += batchSize)
      routerBatches.push({ topic, partition: 0, messages: messages.slice(i, i + batchSize) });
  }
  for (const b of routerBatches)
    for (const m of router.execute(b)) if (m.topic === topics.audit) auditMessages.push(asBuffer(m.value));
  await timeLoop(
    Math.min(1_000, ctx.options.measureMs),
    routerBatches,
    (b) => b.messages.length,
    (b) => router.execute(b),
  );
  const routerRate = await timeLoop(
    ctx.options.measureMs,
    routerBatches,
    (b) => b.messages.length,
    (b) => router.execute(b),
  );
  ctx.log(
    `stages: router use case ${round(routerRate.perCore, 0)} records/s per core (wall ${round(routerRate.perWall, 0)}/s)`,
  );

  const auditItems = auditMessages.map((value) => ({ value, events: decodeAuditBatch(value).length }));
  const totalEvents = auditItems.reduce((a, b) => a + b.events, 0);
  const now = new Date();
  let prev: Buffer = GENESIS_HASH;
  let seq = 0n;
  const hashRate = await timeLoop(
    ctx.options.measureMs,
    auditItems,
    (m) => m.events,
    (m) => {
      for (const e of decodeAuditBatch(m.value)) {
        seq += 1n;
        prev = chainHash(prev, chainedFieldsOf(0, seq, e, now));
      }
    },
  );
  ctx.log(`stages: audit decode + hash chain ${round(hashRate.perCore, 0)} events/s per core`);

  // The real writer against the bench Postgres: one writeBatch per Kafka batch of hub.audit.v1 messages.
  let writeRate = 0;
  let writeCpuSeconds = 0;
  let msPerBatch = 0;
  let eventsPerBatch = 0;
  let writeEvents = 0;
  {
    const writer = new AuditLogWriter(pool);
    // A Kafka batch of hub.audit.v1 holds the audit messages of several ingest/router batches: 4 per call.
    const perCall = 4;
    let offset = 0;
    const calls: Array<Array<{ offset: string; value: Buffer }>> = [];
    for (let i = 0; i < auditMessages.length; i += perCall)
      calls.push(auditMessages.slice(i, i + perCall).map((value) => ({ offset: '0', value })));
    let written = 0;
    let callCount = 0;
    const pgBefore = ctx.sampler.sampleNow().get('postgres');
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const deadline = Date.now() + ctx.options.measureMs * 2;
    for (let i = 0; Date.now() < deadline || i === 0; i++) {
      const call = calls[i % calls.length]!.map((m) => ({ ...m, offset: String(offset++) }));
      written += (await writer.writeBatch(0, call)).length;
      callCount++;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const pgAfter = ctx.sampler.sampleNow().get('postgres');
    writeCpuSeconds =
      (used.user + used.system) / 1e6 + (pgBefore && pgAfter ? pgAfter.cpuSeconds - pgBefore.cpuSeconds : 0);
    writeRate = written / seconds;
    msPerBatch = (seconds * 1000) / callCount;
    eventsPerBatch = written / callCount;
    writeEvents = written;
  }
  const eventsPerRecord = totalEvents / set.records.length;
  const writePerCore = writeEvents / Math.max(writeCpuSeconds, 1e-6);
  ctx.log(
    `stages: AuditLogWriter.writeBatch ${round(writeRate, 0)} events/s wall, ${round(writePerCore, 0)} events per CPU-second of writer + Postgres (${round(writePerCore / eventsPerRecord, 0)} records)`,
  );
  return {
    batchSize,
    ingest: {
      recordsPerSecond: round(ingestRate.perCore, 0),
      microsPerRecord: round(1e6 / ingestRate.perCore, 1),
      wallRecordsPerSecond: round(ingestRate.perWall, 0),
    },
    router: {
      recordsPerSecond: round(routerRate.perCore, 0),
      microsPerRecord: round(1e6 / routerRate.perCore, 1),
      wallRecordsPerSecond: round(routerRate.perWall, 0),
    },
    auditHash: {
      eventsPerSecond: round(hashRate.perCore, 0),
      microsPerEvent: round(1e6 / hashRate.perCore, 1),
    },
    auditWrite: {
      eventsPerSecond: round(writePerCore, 0),
      recordsPerSecond: round(writePerCore / eventsPerRecord, 0),
      wallEventsPerSecond: round(writeRate, 0),
      msPerBatch: round(msPerBatch, 1),
      eventsPerBatch: round(eventsPerBatch, 0),
    },
    auditEventsPerRecord: round(eventsPerRecord, 2),
    details: {
      records: set.records.length,
      ingestBatches: ingestBatches.length,
      routerBatches: routerBatches.length,
      auditMessages: auditMessages.length,
    },
  };
}
