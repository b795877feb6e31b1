import { BenchHub } from '../hub/bench-hub.launcher';
import { AuditCountPoller } from '../measure/audit-count.poller';
import { cpuCost } from '../measure/cpu-cost.calculator';
import { SscArrivalCounter } from '../measure/ssc-arrival.counter';
import { buildSeries, round } from '../measure/throughput-series.builder';
import type { ScaleOutResult } from '../report/bench-results.model';
import { CouncilRecordsProducer } from '../workload/council-records.producer';
import { benchTopics } from '../workload/hub-catalogue.loader';
import type { BenchContext } from './bench-context.types';
import { mixFeeds } from './baseline.scenario';

const INGEST_GROUP = 'hub-ingest';

/** Waits until the ingest consumer group is Stable with `members` members. */
async function waitForGroup(
  ctx: BenchContext,
  groupId: string,
  members: number,
  timeoutMs = 90_000,
): Promise<void> {
  const admin = ctx.kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { groups } = await admin.describeGroups([groupId]);
      const g = groups[0];
      if (g && g.state === 'Stable' && g.members.length === members) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(
      `consumer group ${groupId} did not settle with ${members} members within ${timeoutMs} ms`,
    );
  } finally {
    await admin.disconnect();
  }
}

async function prepareHub(ctx: BenchContext, tag: string): Promise<{ hub: BenchHub; ssc: string[] }> {
  const partitions = ctx.options.scalePartitions;
  const hub = await BenchHub.create(ctx, tag, partitions);
  const t = benchTopics(ctx.catalogue, hub.topics, mixFeeds(ctx));
  await ctx.topicsAdmin.create([...t.council, ...t.canonical, ...t.ssc, ...t.dlq, t.audit], partitions);
  await hub.start('audit-writer');
  await hub.start('router');
  return { hub, ssc: t.ssc };
}

/**
 * Scale-out of the transform service: `--scale-partitions` (6) partitions per topic and 1, 2, 3 ingest
 * instances in one consumer group. For each count, the instances start and the group settles first; then
 * the records are produced while the clock runs (produced concurrently: nothing to consume before every
 * instance has its partitions) until all are delivered and audited. Then a join/leave run: records at a
 * steady rate while instances join and leave (gracefully), checking that nothing is lost or doubled on the
 * SSC topics or in the audit log.
 */
export async function runScaleOut(ctx: BenchContext): Promise<ScaleOutResult> {
  const result: ScaleOutResult = {
    partitions: ctx.options.scalePartitions,
    clock: 'instances started and group stable before the clock; records produced while the clock runs',
    runs: [],
  };
  for (const instances of ctx.options.scaleInstances) {
    const { hub, ssc } = await prepareHub(ctx, `so${instances}`);
    try {
      await Promise.all(Array.from({ length: instances }, (_, i) => hub.start('ingest', `i${i + 1}`)));
      await waitForGroup(ctx, `${hub.namespace}${INGEST_GROUP}`, instances);
      const set = await ctx.factory.make(ctx.options.scaleRecords, {
        prefix: `so${instances}`,
        topics: hub.topics,
        canonical: false,
      });
      const counter = new SscArrivalCounter(ctx.kafka, {
        groupId: `${hub.namespace}bench-ssc-counter`,
        topics: ssc,
        eventIdPrefix: `so${instances}-`,
      });
      const audit = new AuditCountPoller(ctx.pool, hub.schema, hub.auditWriterUrls);
      const producer = new CouncilRecordsProducer(ctx.kafka);
      try {
        await counter.start();
        await audit.start(set.expectedDeliveries);
        await producer.connect();
        ctx.log(
          `scale-out: ${instances} ingest instance(s), ${set.records.length} records over ${ctx.options.scalePartitions} partitions`,
        );
        const t0 = Date.now();
        const cpuBefore = ctx.sampler.sampleNow();
        await producer.sendAll(set.records);
        const timeoutMs = Math.max(180_000, set.records.length * 40);
        const deliveredAt = await counter.waitFor(set.expectedDeliveries, timeoutMs);
        const auditedAt = await audit.waitForTarget(deliveredAt ? 120_000 : 1_000);
        const end = Math.max(deliveredAt ?? Date.now(), auditedAt ?? Date.now());
        const complete = deliveredAt !== undefined && auditedAt !== undefined;
        const seconds = (end - t0) / 1000;
        const cpu = cpuCost(
          cpuBefore,
          ctx.sampler.sampleNow(),
          set.records.length,
          (name) => name !== 'bench' && !name.startsWith('baseline'),
        );
        result.runs.push({
          instances,
          records: set.records.length,
          seconds: complete ? round(seconds, 2) : undefined,
          recordsPerSecond: complete ? round(set.records.length / seconds, 0) : undefined,
          delivered: counter.count,
          expected: set.expectedDeliveries,
          complete,
          cpuMsPerRecord: cpu.totalMsPerRecord,
          cpuPercentByProcess: Object.fromEntries(
            Object.entries(cpu.perProcess).map(([name, c]) => [
              name,
              round((c.cpuSeconds / seconds) * 100, 0),
            ]),
          ),
        });
        ctx.results.series.push(
          buildSeries(`scale-out ${instances} ingest: delivered to SSC`, counter.perSecond, t0, end),
        );
        ctx.log(
          `scale-out: ${instances} instance(s): ${result.runs[result.runs.length - 1]!.recordsPerSecond ?? 'INCOMPLETE'} records/s`,
        );
      } finally {
        audit.stop();
        await counter.stop();
        await producer.disconnect();
      }
    } finally {
      await hub.stop();
    }
  }
  if (ctx.options.churnSeconds > 0) result.churn = await runChurn(ctx);
  return result;
}

async function runChurn(ctx: BenchContext): Promise<NonNullable<ScaleOutResult['churn']>> {
  const { hub, ssc } = await prepareHub(ctx, 'churn');
  const rate = ctx.options.churnRate;
  const seconds = ctx.options.churnSeconds;
  const events: string[] = [];
  try {
    await hub.start('ingest', 'i1');
    const set = await ctx.factory.make(rate * seconds, {
      prefix: 'churn',
      topics: hub.topics,
      canonical: false,
      distinct: ctx.options.pacedDistinct,
    });
    const counter = new SscArrivalCounter(ctx.kafka, {
      groupId: `${hub.namespace}bench-ssc-counter`,
      topics: ssc,
      eventIdPrefix: 'churn-',
      trackDuplicates: true,
    });
    const audit = new AuditCountPoller(ctx.pool, hub.schema, hub.auditWriterUrls);
    const producer = new CouncilRecordsProducer(ctx.kafka);
    try {
      await counter.start();
      await audit.start(set.expectedDeliveries);
      await producer.connect();
      const t0 = Date.now();
      const at = (fraction: number, label: string, action: () => Promise<unknown>) =>
        new Promise<void>((resolve) =>
          setTimeout(
            () => {
              const started = Date.now();
              action().then(
                () => {
                  events.push(
                    `${round((started - t0) / 1000, 1)} s: ${label} (took ${round((Date.now() - started) / 1000, 1)} s)`,
                  );
                  resolve();
                },
                (error: unknown) => {
                  events.push(
                    `${round((started - t0) / 1000, 1)} s: ${label} FAILED: ${error instanceof Error ? error.message : String(error)}`,
                  );
                  resolve();
                },
              );
            },
            fraction * seconds * 1000,
          ),
        );
      ctx.log(`scale-out churn: ${rate} records/s for ${seconds} s while ingest instances join and leave`);
      const schedule = [
        at(0.2, 'ingest-i2 joins', () => hub.start('ingest', 'i2')),
        at(0.4, 'ingest-i3 joins', () => hub.start('ingest', 'i3')),
        at(0.6, 'ingest-i2 leaves (SIGTERM)', () => hub.stack.get('ingest-i2').stop()),
        at(0.8, 'ingest-i3 leaves (SIGTERM)', () => hub.stack.get('ingest-i3').stop()),
      ];
      await producer.sendPaced(set.records, rate);
      await Promise.all(schedule);
      const deliveredAt = await counter.waitFor(set.expectedDeliveries, 180_000);
      await audit.waitForTarget(deliveredAt ? 120_000 : 1_000);
      // Let anything doubled arrive too before counting.
      await new Promise((r) => setTimeout(r, 5_000));
      const { rows } = await ctx.pool.query<{ stage: string; n: string; distinct_n: string }>(
        `SELECT stage, count(*) AS n, count(DISTINCT event_id) AS distinct_n FROM "${hub.schema}".audit_event
          WHERE stage IN ('received', 'delivered') AND source_event_id LIKE 'churn-%' GROUP BY stage`,
      );
      const stage = (s: string) => rows.find((r) => r.stage === s);
      const auditDelivered = Number(stage('delivered')?.n ?? 0);
      const auditDistinctDelivered = Number(stage('delivered')?.distinct_n ?? 0);
      const auditReceived = Number(stage('received')?.n ?? 0);
      const auditDistinctReceived = Number(stage('received')?.distinct_n ?? 0);
      const lost = Math.max(0, set.expectedDeliveries - counter.distinct);
      const doubled =
        counter.duplicates +
        (auditDelivered - auditDistinctDelivered) +
        (auditReceived - auditDistinctReceived);
      const churn = {
        records: set.records.length,
        rate,
        events,
        expected: set.expectedDeliveries,
        sscMessages: counter.count,
        sscDistinct: counter.distinct,
        sscDuplicates: counter.duplicates,
        auditDelivered,
        auditDistinctDelivered,
        auditReceived,
        auditDistinctReceived,
        lost,
        doubled,
        ok:
          lost === 0 &&
          doubled === 0 &&
          auditDistinctDelivered === set.expectedDeliveries &&
          auditDistinctReceived === set.records.length,
      };
      ctx.log(
        `scale-out churn: expected ${churn.expected}, SSC ${churn.sscMessages} (${churn.sscDuplicates} doubles), audit delivered ${auditDelivered} (${auditDistinctDelivered} distinct): ${churn.ok ? 'nothing lost or doubled' : 'LOST OR DOUBLED'}`,
      );
      return churn;
    } finally {
      audit.stop();
      await counter.stop();
      await producer.disconnect();
    }
  } finally {
    await hub.stop();
  }
}
