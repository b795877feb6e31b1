import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Domain, TopicNames } from '@hub/platform';
import { PassthroughStageProcess } from '../baseline/passthrough-stage.process';
import type { PassthroughLookupEntry } from '../baseline/passthrough-stage.types';
import { cpuCost } from '../measure/cpu-cost.calculator';
import { SscArrivalCounter } from '../measure/ssc-arrival.counter';
import { buildSeries, round } from '../measure/throughput-series.builder';
import type { BaselineResult, StageActivity } from '../report/bench-results.model';
import { CouncilRecordsProducer } from '../workload/council-records.producer';
import { benchTopics } from '../workload/hub-catalogue.loader';
import type { BenchContext } from './bench-context.types';

const MAX_BYTES_PER_PARTITION = 1_048_576; // the hub's CONSUMER_MAX_BYTES_PER_PARTITION default

/** The council feeds the mix publishes on. */
export function mixFeeds(ctx: BenchContext): Array<{ council: string; domain: Domain }> {
  const seen = new Map<string, { council: string; domain: Domain }>();
  for (const s of ctx.mix.sources)
    seen.set(`${s.council}.${s.domain}`, { council: s.council, domain: s.domain });
  return [...seen.values()];
}

/**
 * Baseline: the ceiling of kafkajs and this broker on this machine for the hub's shape of work: the same
 * records (pre-produced before the clock starts) on the same council topics and partitions, through two
 * pass-through hops in two processes (council → canonical-sized records on canonical topics → the SSC
 * topics the router would choose), with no transform and no audit. The clock starts when the first hop's
 * consumer is running and stops when the last record has arrived on the SSC topics (read-committed).
 */
export async function runBaseline(
  ctx: BenchContext,
  mode: 'plain' | 'transactional',
  run = 1,
): Promise<BaselineResult> {
  // Run 0 and below: the broker warm-up's runs (see BenchOptions.brokerWarmupRuns), in topics of their own.
  const suffix = run < 1 ? `-warm${-run}` : run > 1 ? `-r${run}` : '';
  const tag = `${mode === 'plain' ? 'base-plain' : 'base-tx'}${suffix}`;
  const namespace = `b${ctx.runId}-${tag}.`;
  ctx.namespaces.push(namespace);
  const topics = new TopicNames(namespace);
  const set = await ctx.factory.make(ctx.options.records, { prefix: tag, topics, canonical: true });
  const topicSet = benchTopics(ctx.catalogue, topics, mixFeeds(ctx));
  await ctx.topicsAdmin.create(
    [...topicSet.council, ...topicSet.canonical, ...topicSet.ssc],
    ctx.options.partitions,
  );

  const lookup: PassthroughLookupEntry[] = set.records
    .filter((r) => r.canonical)
    .map((r) => [
      r.ceId,
      r.canonical!.topic,
      r.canonical!.key,
      r.canonical!.value.toString('utf8'),
      [...r.sscTopics],
    ]);
  const lookupFile = join(ctx.workDir, `${tag}-lookup.json`);
  writeFileSync(lookupFile, JSON.stringify(lookup));
  lookup.length = 0;

  ctx.results.mix.meanValueBytes = set.meanValueBytes;
  ctx.results.mix.meanCanonicalBytes = set.meanCanonicalBytes;
  ctx.log(
    `baseline (${mode}): pre-producing ${set.records.length} records (${set.meanValueBytes} B mean, canonical ${set.meanCanonicalBytes} B)`,
  );
  const producer = new CouncilRecordsProducer(ctx.kafka);
  await producer.connect();
  const produced = await producer.sendAll(set.records);
  await producer.disconnect();
  set.records.length = 0;

  const counter = new SscArrivalCounter(ctx.kafka, {
    groupId: `${namespace}bench-ssc-counter`,
    topics: topicSet.ssc,
    eventIdPrefix: `${tag}-`,
  });
  const hops: PassthroughStageProcess[] = [];
  const removeCleanup = ctx.cleanup.add(
    `baseline ${mode} processes`,
    async () => {
      for (const h of hops) await h.stop();
      await counter.stop();
    },
    () => hops.forEach((h) => h.killNow()),
  );
  try {
    await counter.start();
    const base = {
      brokers: ctx.infra.brokers,
      mode,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      lookupFile,
    };
    const second = new PassthroughStageProcess(
      {
        ...base,
        clientId: 'hop2',
        groupId: `${namespace}baseline-hop2`,
        inputTopics: topicSet.canonical,
        role: 'second-hop',
        readCommitted: true,
      },
      ctx.workDir,
    );
    hops.push(second);
    await second.start();
    ctx.sampler.track(`baseline-${mode}-hop2`, () => second.pid);
    const first = new PassthroughStageProcess(
      {
        ...base,
        clientId: 'hop1',
        groupId: `${namespace}baseline-hop1`,
        inputTopics: topicSet.council,
        role: 'first-hop',
        readCommitted: false,
      },
      ctx.workDir,
    );
    hops.push(first);
    ctx.sampler.track(`baseline-${mode}-hop1`, () => first.pid);
    await first.start();
    const t0 = Date.now();
    const cpuBefore = ctx.sampler.sampleNow();
    const timeoutMs = Math.max(120_000, ctx.options.records * 20);
    const doneAt = await counter.waitFor(set.expectedDeliveries, timeoutMs);
    const end = doneAt ?? Date.now();
    const wall = (end - t0) / 1000;
    // CPU before stopping the hops: a process that has exited has no reading.
    const cpuAfter = ctx.sampler.sampleNow();
    for (const h of hops) await h.stop();
    const hopActivity: Record<string, StageActivity> = {};
    for (const [name, h] of [
      ['hop1 (council → canonical)', first],
      ['hop2 (canonical → SSC)', second],
    ] as const) {
      if (!h.stats) continue;
      hopActivity[name] = {
        batches: h.stats.batches,
        meanBatchMs: h.stats.batches ? round(h.stats.busyMs / h.stats.batches, 1) : undefined,
        busyPercent: round((h.stats.busyMs / 1000 / wall) * 100, 0),
        meanRecordsPerBatch: h.stats.batches ? round(h.stats.records / h.stats.batches, 0) : undefined,
      };
    }
    const cpu = cpuCost(
      cpuBefore,
      cpuAfter,
      ctx.options.records,
      (name) => name.startsWith(`baseline-${mode}`) || name === 'kafka' || name === 'postgres',
    );
    const seconds = (end - t0) / 1000;
    ctx.results.series.push(buildSeries(`baseline ${mode} (SSC arrivals)`, counter.perSecond, t0, end));
    const result: BaselineResult = {
      mode,
      description:
        mode === 'plain'
          ? 'plain kafkajs pass-through, 2 hops in 2 processes, produce (acks=all) then commit offsets'
          : 'same, with one Kafka transaction per batch (produce + sendOffsets), read_committed, as the hub runner',
      records: ctx.options.records,
      deliveries: counter.count,
      seconds: round(seconds, 2),
      recordsPerSecond: round(
        (ctx.options.records * Math.min(1, counter.count / Math.max(1, set.expectedDeliveries))) / seconds,
        0,
      ),
      deliveriesPerSecond: round(counter.count / seconds, 0),
      produceRecordsPerSecond: round(produced.recordsPerSecond, 0),
      complete: doneAt !== undefined,
      cpu,
      hops: hopActivity,
    };
    ctx.log(
      `baseline (${mode}): ${result.recordsPerSecond} records/s (${result.seconds} s${result.complete ? '' : ', INCOMPLETE'})`,
    );
    return result;
  } finally {
    for (const h of hops) await h.stop();
    await counter.stop();
    removeCleanup();
  }
}
