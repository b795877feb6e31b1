import { BenchHub } from '../hub/bench-hub.launcher';
import { AuditCountPoller } from '../measure/audit-count.poller';
import { MetricsSnapshot, batchActivity, metricSum, scrapeMetrics } from '../measure/hub-metrics.scraper';
import { cpuCost } from '../measure/cpu-cost.calculator';
import { ProcessSample, cpuPercent } from '../measure/process-stats.sampler';
import { SscArrivalCounter } from '../measure/ssc-arrival.counter';
import { buildSeries, round } from '../measure/throughput-series.builder';
import type { HubResult, StageActivity } from '../report/bench-results.model';
import { CouncilRecordsProducer } from '../workload/council-records.producer';
import { benchTopics } from '../workload/hub-catalogue.loader';
import type { BenchContext } from './bench-context.types';
import { mixFeeds } from './baseline.scenario';

/** Counter metric of each app's unit of work, for records per batch. */
export const RECORD_METRIC: Record<string, string> = {
  ingest: 'hub_records_received_total',
  router: 'hub_records_routed_total',
  'audit-writer': 'hub_audit_events_written_total',
  delivery: 'hub_deliveries_total',
};

/** Metrics and CPU readings of every running app (and Kafka/Postgres/bench) at one moment. */
export interface StageSnapshot {
  at: number;
  metrics: Map<string, MetricsSnapshot>;
  cpu: Map<string, ProcessSample>;
}

/** Takes a {@link StageSnapshot} of a hub. */
export async function snapshotStages(ctx: BenchContext, hub: BenchHub): Promise<StageSnapshot> {
  const metrics = new Map<string, MetricsSnapshot>();
  await Promise.all(hub.running().map(async (p) => metrics.set(p.name, await scrapeMetrics(p.url))));
  return { at: Date.now(), metrics, cpu: ctx.sampler.sampleNow() };
}

/** Batch-loop activity and CPU of each app (and CPU of Kafka, Postgres and the bench) between two snapshots. */
export function stageActivity(before: StageSnapshot, after: StageSnapshot): Record<string, StageActivity> {
  const wall = (after.at - before.at) / 1000;
  const out: Record<string, StageActivity> = {};
  for (const [name, snapshot] of after.metrics) {
    const app = name.replace(/-i\d+$/, '');
    const activity = batchActivity(
      before.metrics.get(name) ?? new Map(),
      snapshot,
      RECORD_METRIC[app] ?? '',
      wall,
    );
    out[name] = {
      ...activity,
      busySeconds: round(activity.busySeconds, 2),
      meanBatchMs: activity.meanBatchMs === undefined ? undefined : round(activity.meanBatchMs, 1),
      busyPercent: activity.busyPercent === undefined ? undefined : round(activity.busyPercent, 0),
      meanRecordsPerBatch:
        activity.meanRecordsPerBatch === undefined ? undefined : round(activity.meanRecordsPerBatch, 0),
      historyLookupMs:
        activity.historyLookupMs === undefined ? undefined : round(activity.historyLookupMs, 1),
      transactionPhasesMs: activity.transactionPhasesMs
        ? Object.fromEntries(
            Object.entries(activity.transactionPhasesMs).map(([phase, ms]) => [phase, round(ms, 1)]),
          )
        : undefined,
      eventLoopLagP99Ms:
        activity.eventLoopLagP99Ms === undefined ? undefined : round(activity.eventLoopLagP99Ms, 1),
    };
  }
  for (const [name, sample] of after.cpu) {
    const cpu = cpuPercent(before.cpu.get(name), sample);
    if (cpu === undefined) continue;
    out[name] = { ...(out[name] ?? {}), cpuPercent: round(cpu, 0) };
  }
  return out;
}

/**
 * The hub end to end: N mixed records pre-produced to the council topics while the ingest is not running
 * (audit writer and router already up), then the ingest starts and the clock with it. Done when every
 * expected record is on its SSC topics (read-committed) AND every `delivered` audit row is in Postgres.
 * Returns the hub still running, for the latency scenario.
 */
export async function runHubThroughput(
  ctx: BenchContext,
  baselines: { plain?: number; transactional?: number },
  run = 1,
): Promise<{ hub: BenchHub; result: HubResult }> {
  const hub = await BenchHub.create(ctx, run > 1 ? `hub-r${run}` : 'hub', ctx.options.partitions);
  try {
    return { hub, result: await measureHub(ctx, hub, baselines) };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

async function measureHub(
  ctx: BenchContext,
  hub: BenchHub,
  baselines: { plain?: number; transactional?: number },
): Promise<HubResult> {
  const topicSet = benchTopics(ctx.catalogue, hub.topics, mixFeeds(ctx));
  await ctx.topicsAdmin.create(
    [...topicSet.council, ...topicSet.canonical, ...topicSet.ssc, ...topicSet.dlq, topicSet.audit],
    ctx.options.partitions,
  );
  ctx.log(`hub: starting audit-writer and router (namespace ${hub.namespace}, schema ${hub.schema})`);
  await hub.start('audit-writer');
  await hub.start('router');

  const set = await ctx.factory.make(ctx.options.records, {
    prefix: 'hub',
    topics: hub.topics,
    canonical: false,
  });
  ctx.results.mix.meanValueBytes ??= set.meanValueBytes;
  ctx.log(
    `hub: pre-producing ${set.records.length} records (${set.expectedDeliveries} SSC deliveries expected)`,
  );
  const producer = new CouncilRecordsProducer(ctx.kafka);
  await producer.connect();
  const produced = await producer.sendAll(set.records);
  await producer.disconnect();
  set.records.length = 0;

  const counter = new SscArrivalCounter(ctx.kafka, {
    groupId: `${hub.namespace}bench-ssc-counter`,
    topics: topicSet.ssc,
    eventIdPrefix: 'hub-',
  });
  const audit = new AuditCountPoller(ctx.pool, hub.schema, hub.auditWriterUrls);
  const removeCleanup = ctx.cleanup.add('hub counters', async () => {
    audit.stop();
    await counter.stop();
  });
  try {
    await counter.start();
    await audit.start(set.expectedDeliveries);
    const before = await snapshotStages(ctx, hub);
    ctx.log('hub: starting ingest; the clock starts when it is running');
    await hub.start('ingest');
    const t0 = Date.now();
    before.at = t0;
    before.cpu = ctx.sampler.sampleNow();
    const timeoutMs = Math.max(180_000, ctx.options.records * 40);
    const deliveredAt = await counter.waitFor(set.expectedDeliveries, timeoutMs);
    const auditedAt = await audit.waitForTarget(
      deliveredAt ? Math.max(60_000, timeoutMs - (Date.now() - t0)) : 1_000,
    );
    const after = await snapshotStages(ctx, hub);
    const end = Math.max(deliveredAt ?? Date.now(), auditedAt ?? Date.now());
    ctx.results.series.push(buildSeries('hub: delivered to SSC', counter.perSecond, t0, end));
    ctx.results.series.push(buildSeries('hub: delivered rows audited', audit.perSecond, t0, end));
    const complete = deliveredAt !== undefined && auditedAt !== undefined;
    const totalSeconds = (end - t0) / 1000;
    const recordsPerSecond = complete ? ctx.options.records / totalSeconds : undefined;
    const result: HubResult = {
      records: ctx.options.records,
      expectedDeliveries: set.expectedDeliveries,
      delivered: counter.count,
      audited: audit.count,
      deliveredSeconds: deliveredAt ? round((deliveredAt - t0) / 1000, 2) : undefined,
      auditedSeconds: auditedAt ? round((auditedAt - t0) / 1000, 2) : undefined,
      totalSeconds: complete ? round(totalSeconds, 2) : undefined,
      recordsPerSecond: recordsPerSecond === undefined ? undefined : round(recordsPerSecond, 0),
      deliveredOnlyRecordsPerSecond: deliveredAt
        ? round(ctx.options.records / ((deliveredAt - t0) / 1000), 0)
        : undefined,
      ratioToPlainBaseline:
        recordsPerSecond && baselines.plain ? round(recordsPerSecond / baselines.plain, 3) : undefined,
      ratioToTransactionalBaseline:
        recordsPerSecond && baselines.transactional
          ? round(recordsPerSecond / baselines.transactional, 3)
          : undefined,
      auditLagSeconds: deliveredAt && auditedAt ? round((auditedAt - deliveredAt) / 1000, 2) : undefined,
      produceRecordsPerSecond: round(produced.recordsPerSecond, 0),
      clock:
        'records pre-produced before the clock; clock from ingest running to last SSC arrival AND last delivered audit row',
      rejectedByHub: metricSum(after.metrics.get('ingest') ?? new Map(), 'hub_records_rejected_total'),
      expectedRejected: set.expectedRejected,
      stages: stageActivity(before, after),
      complete,
      cpu: cpuCost(before.cpu, after.cpu, ctx.options.records, (name) => name !== 'bench'),
    };
    ctx.log(
      `hub: ${result.recordsPerSecond ?? 'INCOMPLETE'} records/s (delivered ${result.delivered}/${set.expectedDeliveries} in ${result.deliveredSeconds ?? '-'} s, audited ${result.audited} in ${result.auditedSeconds ?? '-'} s)`,
    );
    return result;
  } finally {
    audit.stop();
    await counter.stop();
    removeCleanup();
  }
}
