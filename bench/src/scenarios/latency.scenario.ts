import { BenchHub, PIPELINE_APPS } from '../hub/bench-hub.launcher';
import { AuditCountPoller } from '../measure/audit-count.poller';
import { cpuCost } from '../measure/cpu-cost.calculator';
import { AppMemoryWatcher } from '../measure/app-memory.watcher';
import { memoryTrends } from '../measure/memory-trend.calculator';
import { SscArrivalCounter } from '../measure/ssc-arrival.counter';
import { buildSeries, round } from '../measure/throughput-series.builder';
import type { LatencyResult, LatencyWarmup } from '../report/bench-results.model';
import { CouncilRecordsProducer } from '../workload/council-records.producer';
import { benchTopics } from '../workload/hub-catalogue.loader';
import type { BenchContext } from './bench-context.types';
import { mixFeeds } from './baseline.scenario';
import { snapshotStages, stageActivity } from './hub-throughput.scenario';

/**
 * Latency at a fixed offered rate: records produced at `rate`/s for `duration` s (produced concurrently,
 * ce_time stamped at send), each timed from ce_time to its arrival on its SSC topic at a read-committed
 * consumer (HDR histogram, ms). First `--warmup` seconds at the same rate, unmeasured, and waited out: a
 * hub that has been idle spends its first seconds on its first transactions, and in a 60 s run those
 * seconds were the whole p95/p99 (the warm-up's own first-delivery delay is reported beside them). Runs on the hub left by the throughput scenario (idle by then) or a fresh
 * one. Also samples each app's RSS through the run: is memory flat under sustained load?
 */
export async function runLatency(
  ctx: BenchContext,
  existing?: BenchHub,
): Promise<{ hub: BenchHub; result: LatencyResult }> {
  if (existing) return { hub: existing, result: await measureLatency(ctx, existing) };
  const hub = await BenchHub.create(ctx, 'lat', ctx.options.partitions);
  try {
    const t = benchTopics(ctx.catalogue, hub.topics, mixFeeds(ctx));
    await ctx.topicsAdmin.create(
      [...t.council, ...t.canonical, ...t.ssc, ...t.dlq, t.audit],
      ctx.options.partitions,
    );
    for (const app of PIPELINE_APPS) await hub.start(app);
    return { hub, result: await measureLatency(ctx, hub) };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

async function measureLatency(ctx: BenchContext, hub: BenchHub): Promise<LatencyResult> {
  const topicSet = benchTopics(ctx.catalogue, hub.topics, mixFeeds(ctx));
  const { rate, durationSeconds } = ctx.options;
  const warmup = await warmUp(ctx, hub, topicSet.ssc);
  const set = await ctx.factory.make(rate * durationSeconds, {
    prefix: 'lat',
    topics: hub.topics,
    canonical: false,
    distinct: ctx.options.pacedDistinct,
  });
  const counter = new SscArrivalCounter(ctx.kafka, {
    groupId: `${hub.namespace}bench-latency-counter`,
    topics: topicSet.ssc,
    eventIdPrefix: 'lat-',
    latency: true,
  });
  const audit = new AuditCountPoller(ctx.pool, hub.schema, hub.auditWriterUrls);
  const producer = new CouncilRecordsProducer(ctx.kafka);
  const appWatch = new AppMemoryWatcher(hub);
  const removeCleanup = ctx.cleanup.add('latency producer and counters', async () => {
    audit.stop();
    await appWatch.stop();
    await counter.stop();
    await producer.disconnect();
  });
  try {
    await counter.start();
    await audit.start(set.expectedDeliveries);
    await producer.connect();
    ctx.log(
      `latency: offering ${rate} records/s for ${durationSeconds} s (${set.records.length} records, produced while the clock runs)`,
    );
    const before = await snapshotStages(ctx, hub);
    const t0 = Date.now();
    appWatch.start();
    const sent = await producer.sendPaced(set.records, rate);
    const sentAt = Date.now();
    const appMemory = await appWatch.stop();
    const during = await snapshotStages(ctx, hub);
    // Records through the hub while sending (fewer than sent when it cannot keep up): deliveries per record.
    const processedBySentAt =
      counter.count / Math.max(1e-9, set.expectedDeliveries / (rate * durationSeconds));
    set.records.length = 0;
    const drainMs = ctx.options.drainSeconds * 1000;
    const deliveredAt = await counter.waitFor(set.expectedDeliveries, drainMs);
    const auditedAt = await audit.waitForTarget(
      deliveredAt ? Math.max(5_000, drainMs - (Date.now() - sentAt)) : 1_000,
    );
    if (!deliveredAt) {
      ctx.results.notes.push(
        `latency: ${counter.count} of ${set.expectedDeliveries} deliveries arrived within ${ctx.options.drainSeconds} s of the last send: the hub could not sustain ${rate}/s here, so its queue grew through the run; the percentiles cover the records that arrived (the earliest), and understate the latency of the rest.`,
      );
    }
    const end = Math.max(deliveredAt ?? Date.now(), auditedAt ?? Date.now());
    ctx.results.series.push(
      buildSeries(`latency run: delivered to SSC (offered ${rate}/s)`, counter.perSecond, t0, end),
    );
    const h = counter.histogram;
    const has = h.totalCount > 0;
    const pct = (p: number) => (has ? h.getValueAtPercentile(p) : undefined);
    const memory = memoryTrends(ctx.sampler, t0, sentAt, appMemory);
    const result: LatencyResult = {
      offeredRate: rate,
      durationSeconds,
      achievedRate: round(sent.achievedRate, 0),
      producerMaxBehind: sent.maxBehind,
      records: rate * durationSeconds,
      expectedDeliveries: set.expectedDeliveries,
      delivered: counter.count,
      p50Ms: pct(50),
      p90Ms: pct(90),
      p95Ms: pct(95),
      p99Ms: pct(99),
      p999Ms: pct(99.9),
      maxMs: has ? h.maxValue : undefined,
      meanMs: has ? round(h.mean, 1) : undefined,
      percentiles: has
        ? [10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100].map((p) => ({
            percentile: p,
            ms: h.getValueAtPercentile(p),
          }))
        : [],
      drainSeconds:
        deliveredAt && auditedAt ? round((Math.max(deliveredAt, auditedAt) - sentAt) / 1000, 2) : undefined,
      auditedAll: auditedAt !== undefined,
      memory,
      stages: stageActivity(before, during),
      distinctRecords: Math.min(ctx.options.pacedDistinct, rate * durationSeconds),
      warmup,
      cpu: cpuCost(
        before.cpu,
        during.cpu,
        Math.max(1, Math.round(processedBySentAt)),
        (name) => name !== 'bench',
      ),
    };
    ctx.log(
      `latency: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, p99 ${result.p99Ms} ms (${result.delivered}/${set.expectedDeliveries} delivered, achieved ${result.achievedRate}/s)`,
    );
    return result;
  } finally {
    audit.stop();
    await appWatch.stop();
    await counter.stop();
    await producer.disconnect();
    removeCleanup();
  }
}

/** The unmeasured warm-up: `--warmup` seconds at the offered rate, then until it is delivered and audited. */
async function warmUp(
  ctx: BenchContext,
  hub: BenchHub,
  sscTopics: readonly string[],
): Promise<LatencyWarmup | undefined> {
  const { rate, warmupSeconds: seconds } = ctx.options;
  if (seconds <= 0) return undefined;
  const set = await ctx.factory.make(rate * seconds, {
    prefix: 'warm',
    topics: hub.topics,
    canonical: false,
    distinct: Math.min(ctx.options.pacedDistinct, rate * seconds),
  });
  const counter = new SscArrivalCounter(ctx.kafka, {
    groupId: `${hub.namespace}bench-latency-warmup`,
    topics: sscTopics,
    eventIdPrefix: 'warm-',
  });
  const audit = new AuditCountPoller(ctx.pool, hub.schema, hub.auditWriterUrls);
  const producer = new CouncilRecordsProducer(ctx.kafka);
  try {
    await counter.start();
    await audit.start(set.expectedDeliveries);
    await producer.connect();
    ctx.log(`latency: warming up at ${rate} records/s for ${seconds} s (not measured)`);
    const started = Date.now();
    await producer.sendPaced(set.records, rate);
    const drainMs = ctx.options.drainSeconds * 1000;
    const delivered = await counter.waitFor(set.expectedDeliveries, drainMs);
    const audited = delivered ? await audit.waitForTarget(drainMs) : undefined;
    const result: LatencyWarmup = {
      seconds,
      firstDeliveryMs: counter.firstArrivalMs !== undefined ? counter.firstArrivalMs - started : undefined,
      delivered: counter.count,
      expected: set.expectedDeliveries,
      settled: delivered !== undefined && audited !== undefined,
    };
    ctx.log(
      `latency: warm-up delivered ${result.delivered}/${result.expected}; first delivery ${result.firstDeliveryMs ?? '-'} ms after the first send${result.settled ? '' : '; NOT settled before the clock'}`,
    );
    return result;
  } finally {
    audit.stop();
    await counter.stop();
    await producer.disconnect();
  }
}
