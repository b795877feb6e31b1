import { join } from 'node:path';
import type { Pool } from 'pg';
import type { HubAppName } from '@hub/launcher';
import { deliveryGroup } from '../../../apps/delivery/src/delivery.app';
import { BenchHub } from '../hub/bench-hub.launcher';
import { writeRoutesToSimulator } from '../hub/simulator-routes.writer';
import { SscSimulatorClient } from '../hub/ssc-simulator.client';
import { DeliveryBacklogCounter } from '../measure/delivery-backlog.counter';
import { lagGrew } from '../measure/lag-trend.calculator';
import { AppMemoryWatcher } from '../measure/app-memory.watcher';
import { describeTrend, memoryTrends, peakHwmMb, rssTimeline } from '../measure/memory-trend.calculator';
import { SscArrivalCounter } from '../measure/ssc-arrival.counter';
import { buildSeries, round } from '../measure/throughput-series.builder';
import type { SoakLagSample, SoakResult } from '../report/bench-results.model';
import { CouncilRecordsProducer } from '../workload/council-records.producer';
import { benchTopics } from '../workload/hub-catalogue.loader';
import type { BenchContext } from './bench-context.types';
import { mixFeeds } from './baseline.scenario';
import { snapshotStages, stageActivity } from './hub-throughput.scenario';

/** Started after the simulator (whose URL goes into their routing file); the ingest last, as elsewhere. */
const SOAK_APPS: readonly HubAppName[] = ['audit-writer', 'router', 'delivery', 'ingest'];
const LAG_SAMPLE_MS = 5_000;
/** The bench's own process and Postgres (shared buffers counted once per backend) are not reported. */
const notBenchOrPostgres = (name: string) => name !== 'bench' && name !== 'postgres';

/**
 * Back-pressure (issue 6 §7): the whole pipeline, delivery app included, with every HTTP destination
 * (the SSC simulator) answering after `--soak-delay-ms` for the whole run, while the mix is offered at
 * `--soak-rate` for `--soak-duration` s: far more records for the webhook than it can take. Memory of
 * every app must stay flat while the delivery backlog grows in Kafka; afterwards every record for the
 * slow destination must be either committed as delivered (and audited) or still waiting in Kafka.
 */
export async function runSoak(ctx: BenchContext): Promise<SoakResult> {
  const routesFile = join(ctx.workDir, 'soak-routes.json');
  const routes = { ROUTES_FILE: routesFile };
  const hub = await BenchHub.create(ctx, 'soak', ctx.options.partitions, {
    router: routes,
    delivery: routes,
  });
  try {
    const simulator = await hub.start('ssc-simulator');
    if (!simulator.url) throw new Error('soak: the ssc-simulator reported no URL');
    const http = writeRoutesToSimulator(routesFile, simulator.url).map((d) => d.id);
    if (http.length === 0) throw new Error('soak: config/routing.json has no HTTP destination to make slow');
    const t = benchTopics(ctx.catalogue, hub.topics, mixFeeds(ctx));
    const deliveryTopics = http.flatMap((id) => [hub.topics.delivery(id), hub.topics.destinationDlq(id)]);
    await ctx.topicsAdmin.create(
      [...t.council, ...t.canonical, ...t.ssc, ...t.dlq, t.audit, ...deliveryTopics],
      ctx.options.partitions,
    );
    const ssc = new SscSimulatorClient(simulator.url);
    await ssc.control({ mode: 'slow', delayMs: ctx.options.soakDelayMs });
    ctx.log(`soak: starting ${SOAK_APPS.join(', ')} (namespace ${hub.namespace}; ${http.join(', ')} slow)`);
    for (const app of SOAK_APPS) await hub.start(app);
    return await measureSoak(ctx, hub, http, ssc);
  } finally {
    await hub.stop();
  }
}

async function measureSoak(
  ctx: BenchContext,
  hub: BenchHub,
  destinations: string[],
  ssc: SscSimulatorClient,
): Promise<SoakResult> {
  const { soakRate: rate, soakSeconds: seconds, soakDelayMs: delayMs, drainSeconds } = ctx.options;
  const topicSet = benchTopics(ctx.catalogue, hub.topics, mixFeeds(ctx));
  const set = await ctx.factory.make(rate * seconds, {
    prefix: 'soak',
    topics: hub.topics,
    canonical: false,
    distinct: ctx.options.pacedDistinct,
  });
  const records = set.records.length;
  const kafka = new SscArrivalCounter(ctx.kafka, {
    groupId: `${hub.namespace}bench-soak-counter`,
    topics: topicSet.ssc,
    eventIdPrefix: 'soak-',
  });
  const backlog = new DeliveryBacklogCounter(
    ctx.kafka,
    destinations.map((id) => ({
      topic: hub.topics.delivery(id),
      groupId: `${hub.namespace}${deliveryGroup(id)}`,
    })),
    `${hub.namespace}bench-soak-backlog`,
  );
  const producer = new CouncilRecordsProducer(ctx.kafka);
  let timer: NodeJS.Timeout | undefined;
  const appWatch = new AppMemoryWatcher(hub);
  const removeCleanup = ctx.cleanup.add('soak producer and counters', async () => {
    clearInterval(timer);
    await appWatch.stop();
    await kafka.stop();
    await backlog.stop();
    await producer.disconnect();
  });
  try {
    await kafka.start();
    await backlog.start();
    await producer.connect();
    ctx.log(
      `soak: offering ${rate} records/s for ${seconds} s (${records} records; ${set.expectedHttpDeliveries} for ${destinations.join(', ')}, which answers after ${delayMs} ms)`,
    );
    const before = await snapshotStages(ctx, hub);
    const t0 = Date.now();
    appWatch.start();
    const lag: SoakLagSample[] = [];
    // Chained, so a slow broker answer delays the next reading instead of overlapping it.
    let sampling = Promise.resolve();
    const takeSample = () =>
      (sampling = sampling.then(async () => {
        try {
          const reading = await backlog.read();
          const receipts = await ssc.received();
          const t = round((Date.now() - t0) / 1000, 0);
          lag.push({ t, ...reading, deliveredToSsc: receipts.unique });
          if (lag.length % 12 === 0)
            ctx.log(
              `soak: ${t} s: ${reading.waiting} waiting in Kafka for the slow destination, ${receipts.unique} delivered to it, ${kafka.count} to Kafka destinations`,
            );
        } catch {
          // broker or simulator busy: the next tick reads again
        }
      }));
    timer = setInterval(() => void takeSample(), LAG_SAMPLE_MS);
    const sent = await producer.sendPaced(set.records, rate);
    const sentAt = Date.now();
    const appMemory = await appWatch.stop();
    clearInterval(timer);
    await takeSample();
    const during = await snapshotStages(ctx, hub);
    set.records.length = 0;

    // Kafka destinations are not held up by the slow one: they arrive within seconds of the last send.
    const kafkaAt = await kafka.waitFor(set.expectedDeliveries, drainSeconds * 1000);
    await backlog.waitForRouted(set.expectedHttpDeliveries, 15_000);
    // Freezes the books: a stopping delivery app abandons its open batch uncommitted (the records of it
    // already delivered go again, with the same Idempotency-Key, after a restart), so its committed offsets
    // and its audit rows stop moving, and the audit writer can catch up with the last commit.
    await hub.stack.get('delivery').stop();
    const final = await backlog.read();
    const audit = await deliveryAudit(ctx.pool, hub.schema, final.committed, 60_000);
    const receipts = await ssc.received();

    const problems: string[] = [];
    if (final.routed !== set.expectedHttpDeliveries)
      problems.push(
        `${final.routed} records on hub.delivery.* for ${set.expectedHttpDeliveries} the routing table sends there`,
      );
    if (audit.delivered !== final.committed)
      problems.push(`${audit.delivered} delivered audit rows for ${final.committed} committed records`);
    if (receipts.unique < final.committed)
      problems.push(`the SSC has ${receipts.unique} records, fewer than the ${final.committed} committed`);
    if (audit.failed > 0) problems.push(`${audit.failed} records dead-lettered by the delivery app`);
    if (kafka.count !== set.expectedDeliveries)
      problems.push(
        `Kafka destinations: ${kafka.count} of ${set.expectedDeliveries} arrived within ${drainSeconds} s of the last send`,
      );

    ctx.results.series.push(
      buildSeries(
        `soak: delivered to SSC Kafka topics (offered ${rate}/s; HTTP destination ${delayMs} ms per request)`,
        kafka.perSecond,
        t0,
        kafkaAt ?? Date.now(),
      ),
    );
    const slice = Math.max(5_000, (sentAt - t0) / 10);
    const result: SoakResult = {
      durationSeconds: seconds,
      offeredRate: rate,
      achievedRate: round(sent.achievedRate, 0),
      records,
      destinations,
      delayMs,
      offeredToSlow: set.expectedHttpDeliveries,
      routedToSlow: final.routed,
      committed: final.committed,
      waiting: final.waiting,
      auditedDelivered: audit.delivered,
      deadLettered: audit.failed,
      deliveredToSsc: receipts.unique,
      sscRequests: receipts.count,
      sscDuplicates: receipts.duplicates,
      kafkaExpected: set.expectedDeliveries,
      kafkaDelivered: kafka.count,
      kafkaDrainSeconds: kafkaAt === undefined ? undefined : round(Math.max(0, kafkaAt - sentAt) / 1000, 1),
      lag,
      lagGrew: lagGrew(lag),
      problems,
      memory: memoryTrends(ctx.sampler, t0, sentAt, appMemory),
      rssTimeline: {
        sliceSeconds: round(slice / 1000, 0),
        mb: rssTimeline(ctx.sampler, t0, sentAt, slice, notBenchOrPostgres),
      },
      peakRssMb: peakHwmMb(ctx.sampler, t0, sentAt, notBenchOrPostgres),
      stages: stageActivity(before, during),
    };
    ctx.log(
      `soak: ${result.offeredToSlow} offered to the slow destination = ${result.committed} committed + ${result.waiting} waiting in Kafka; ${result.deliveredToSsc} at the SSC; memory ${Object.entries(
        result.memory,
      )
        .map(([name, m]) => `${name} ${describeTrend(m)}`)
        .join(', ')}${problems.length ? `; PROBLEMS: ${problems.join('; ')}` : ''}`,
    );
    return result;
  } finally {
    clearInterval(timer);
    await appWatch.stop();
    await kafka.stop();
    await backlog.stop();
    await producer.disconnect();
    removeCleanup();
  }
}

/**
 * The delivery app's `delivered` and `delivery_failed` audit rows (distinct delivery ids), once the
 * audit writer has caught up: polled until `delivered` reaches `committed` or `timeoutMs` passes.
 */
async function deliveryAudit(
  pool: Pool,
  schema: string,
  committed: number,
  timeoutMs: number,
): Promise<{ delivered: number; failed: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ stage: string; n: string }>(
      `SELECT stage, count(DISTINCT delivery_id) AS n FROM "${schema}".audit_event
        WHERE actor = 'delivery' AND stage IN ('delivered', 'delivery_failed') GROUP BY stage`,
    );
    const of = (stage: string) => Number(rows.find((r) => r.stage === stage)?.n ?? 0);
    const counts = { delivered: of('delivered'), failed: of('delivery_failed') };
    if (counts.delivered >= committed || Date.now() > deadline) return counts;
    await new Promise((r) => setTimeout(r, 500));
  }
}
