import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { Admin, AssignerProtocol, Kafka, logLevel, PartitionMetadata, Partitioners, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { AuditStages, verifyAuditLog } from '@hub/audit';
import {
  KafkaClusterHandle,
  PostgresProcessHandle,
  localPath,
  startKafka,
  startPostgresProcess,
} from '@hub/devstack';
import { HubAppName, HubStack, ensureLocalTokens } from '@hub/launcher';
import { createPgPool, migrate } from '@hub/persistence';
import { CeHeaders, TopicNames, cloudEventHeaders } from '@hub/platform';
import { DeliveryHeaders } from '@hub/routing';
import type { ReceivedMessage } from '@hub/testing';

/**
 * The fault tests' shared frame (issue 6 §3). Each test file owns its infrastructure, because the tests
 * kill it: a dedicated Kafka (1 or 3 nodes) and a dedicated Postgres, on ports of its own, under
 * `.local/kafka/data-faults-<name>` and `.local/postgres/faults-<name>`. On top: the hub's apps as real
 * processes from dist/ (HubStack), a steady workload of Coventry spend records with unique ce_ids plus a
 * few broken ones, and the counting that proves nothing was lost or doubled at any stage.
 *
 * What counts as "sent" is what the broker holds on the council topic (read_committed) after the run,
 * not what the test's producer believes: a producer whose send failed may have landed the records
 * anyway and sends them again (that is what councils' systems do too). Such source copies share a
 * ce_id, and the hub must deliver each ce_id once and audit the extra copies as `duplicate`.
 */

/**
 * Jest timeout of one fault test. Each takes one to two minutes on an idle 2-core machine; the margin
 * is for a loaded one (a JVM start alone can take a minute there).
 */
export const FAULT_TEST_TIMEOUT_MS = 360_000;

/** Options of {@link FaultHarness.start}. */
export interface FaultHarnessOptions {
  /** Names the data folders (`faults-<name>`), the log folder and the printed report. */
  name: string;
  /** Kafka ports: single node on basePort/basePort+1; three nodes on 1xxxx/2xxxx/3xxxx + basePort. */
  kafkaBasePort: number;
  postgresPort: number;
  kafkaNodes?: 1 | 3;
  /** Apps started before the workload, in parallel. Default audit-writer, ingest, router. */
  apps?: HubAppName[];
  /** Extra environment for every app. */
  env?: Record<string, string>;
  appEnv?: Partial<Record<HubAppName, Record<string, string>>>;
  /**
   * How many routes each good record takes (each ends in one `routed` and one `delivered` audit event).
   * Default 1: the stock routing table sends a small Coventry payment to ssc.finance only.
   */
  routesPerRecord?: number;
  /** Audit stages that may appear besides the expected ones (e.g. `delivery_attempted` for HTTP retries). */
  allowedExtraStages?: string[];
}

/** Options of {@link FaultHarness.startWorkload}. */
export interface WorkloadOptions {
  /** Records that map to a canonical spend record. */
  good: number;
  /** Records that must go to the DLQ (invalid JSON), spread evenly through the stream. */
  bad: number;
  /** Steady send rate. */
  perSecond: number;
  /** Distinct Kafka keys on the council topic (spreads records over its partitions). Default 12. */
  keys?: number;
  /**
   * Good-looking records first written in a Kafka transaction that is then aborted: the broker never
   * accepted them, so no stage may ever show them. Default 0.
   */
  aborted?: number;
}

/** Distinct items and all messages of one stage; `duplicates = total - distinct`. */
export interface StageCount {
  distinct: number;
  total: number;
}

/** Everything a fault test reports and asserts on. */
export interface FaultCounts {
  /** What the test's producer had acknowledged. */
  acked: { good: number; bad: number };
  /** The council topic as the broker holds it (read_committed): distinct ce_ids per kind, and all copies. */
  source: { good: number; bad: number; copies: number; ackedButMissing: number };
  /** canonical.finance.spend, read_committed, by revision. */
  canonical: StageCount;
  /** Good source ce_ids with no canonical record, and canonical records of no good source ce_id. */
  canonicalMissing: number;
  canonicalForeign: number;
  /** dlq.coventry.finance, by ce_id. */
  dlq: StageCount;
  /** ssc.finance, read_committed, by hub_delivery_id. */
  delivered: StageCount;
  /** Audit rows per stage, by event_id. */
  audit: Record<string, StageCount>;
  chain: { ok: boolean; events: number; firstBreak?: string };
  /** Tests with an HTTP destination: what the SSC accepted, by idempotency key (total counts repeats it de-duplicated). */
  http?: StageCount;
}

/** Makes (and connects) the producer a workload uses; called again after a send fails. */
export type ProducerFactory = () => Promise<Producer>;

/** Steady records on `council.coventry.finance`, each with a unique ce_id; knows what the broker acknowledged. */
export class Workload {
  readonly ackedGood: string[] = [];
  readonly ackedBad: string[] = [];
  /** Sends that threw (broker down) and were retried. */
  sendRetries = 0;
  /** The last error a send threw, for the progress log. */
  lastSendError?: string;
  readonly finished: Promise<void>;
  private producer?: Producer;
  /** kafkajs' default partitioner: records land where a council's kafkajs producer would put them. */
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  private stopped = false;

  constructor(
    private readonly newProducer: ProducerFactory,
    private readonly topic: string,
    private readonly options: WorkloadOptions,
    private readonly runTag: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.finished = this.run();
    // A failed workload is reported by whoever awaits `finished`; never as an unhandled rejection.
    this.finished.catch(() => undefined);
  }

  /** Records acknowledged so far. */
  get sent(): number {
    return this.ackedGood.length + this.ackedBad.length;
  }

  /** Resolves once `count` records have been acknowledged (or the workload ended). */
  reached(count: number): Promise<void> {
    if (this.sent >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Stops sending after the current chunk (clean-up, or a test that failed). */
  stop(): void {
    this.stopped = true;
  }

  /** Disconnects the producer (after `finished`). */
  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { good, bad, perSecond } = this.options;
    const keys = this.options.keys ?? 12;
    const total = good + bad;
    // Bad records at evenly spaced positions, never first, so they interleave with good traffic.
    const badEvery = bad > 0 ? Math.floor(total / bad) : Infinity;
    let goodIndex = 0;
    let badIndex = 0;
    const plan = Array.from({ length: total }, (_, i) => {
      const isBad = bad > 0 && badIndex < bad && (i + 1) % badEvery === 0;
      const n = isBad ? badIndex++ : goodIndex++;
      return { ceId: `${this.runTag}-${isBad ? 'bad' : 'good'}-${n}`, isBad, key: `supplier-${i % keys}`, n };
    });
    try {
      this.producer = await this.newProducer();
      const tickMs = 100;
      const perTick = Math.max(1, Math.round((perSecond * tickMs) / 1000));
      for (let i = 0; i < plan.length && !this.stopped; i += perTick) {
        const started = Date.now();
        const chunk = plan.slice(i, i + perTick);
        const time = new Date().toISOString();
        await this.sendWithRetry(
          chunk.map((r) => ({
            key: r.key,
            value: r.isBad
              ? `{"voucherNo": "BAD${r.n}", `
              : JSON.stringify(spendRecord(`${this.voucherPrefix}${r.n}`)),
            headers: this.headers(r.ceId, time),
          })),
        );
        for (const r of chunk) (r.isBad ? this.ackedBad : this.ackedGood).push(r.ceId);
        this.notify();
        const wait = tickMs - (Date.now() - started);
        if (wait > 0) await delay(wait);
      }
    } finally {
      this.waiters.forEach((w) => w.resolve());
      this.waiters = [];
    }
  }

  private get voucherPrefix(): string {
    return this.runTag.toUpperCase().replace(/[^A-Z0-9]/g, '');
  }

  private headers(ceId: string, time: string): Record<string, string> {
    return cloudEventHeaders({
      id: ceId,
      source: '/councils/coventry/agresso',
      type: 'uk.gov.council.finance.spend',
      time,
      contentType: 'application/json',
    });
  }

  /**
   * The producer is idempotent and retries on its own. Each request goes to ONE partition: kafkajs 2.2.4
   * can acknowledge a multi-partition send without writing the part whose leader died mid-request (see
   * `assertEveryPartitionWritten` in libs/platform's batch runner), which lost acknowledged records here
   * before. When a send still fails (broker down longer than its retries, or kafkajs' idempotent state
   * confused by a leader change: endless OUT_OF_ORDER_SEQUENCE_NUMBER), the producer is replaced and the
   * same records are sent again with the same ce_ids. Copies that land twice are then visible on the
   * council topic, and the hub has to recognise them.
   */
  private async sendWithRetry(
    messages: Array<{ key: string; value: string; headers: Record<string, string> }>,
  ): Promise<void> {
    const byPartition = new Map<number, typeof messages>();
    for (const m of messages) {
      const partition = this.partitioner({
        topic: this.topic,
        partitionMetadata: COUNCIL_PARTITIONS,
        message: m,
      });
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), m]);
    }
    for (const [partition, group] of byPartition) await this.sendToPartition(partition, group);
  }

  private async sendToPartition(
    partition: number,
    messages: Array<{ key: string; value: string; headers: Record<string, string> }>,
  ): Promise<void> {
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        const acks = await this.producer!.send({
          topic: this.topic,
          acks: -1,
          messages: messages.map((m) => ({ ...m, partition })),
        });
        if (!acks.some((a) => a.partition === partition))
          throw new Error(`partition ${partition} was not acknowledged`);
        return;
      } catch (error) {
        this.sendRetries += 1;
        this.lastSendError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (this.sendRetries === 1 || this.sendRetries % 20 === 0) {
          this.log(`send retry ${this.sendRetries} after ${this.sent} acknowledged: ${this.lastSendError}`);
        }
        if (Date.now() > deadline || this.stopped) throw error;
        await delay(500);
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = await this.newProducer().catch(() => this.producer);
      }
    }
  }

  private notify(): void {
    const due = this.waiters.filter((w) => this.sent >= w.count);
    this.waiters = this.waiters.filter((w) => this.sent < w.count);
    due.forEach((w) => w.resolve());
  }
}

/** The council topic's partitions as the harness creates it (three), for the workload's partitioner. */
const COUNCIL_PARTITIONS: PartitionMetadata[] = [0, 1, 2].map((partitionId) => ({
  partitionErrorCode: 0,
  partitionId,
  leader: 0,
  replicas: [],
  isr: [],
}));

/** Coventry's Agresso layout (as in the walking-skeleton e2e test); a small payment routes to ssc.finance only. */
export function spendRecord(voucherNo: string): Record<string, unknown> {
  return {
    voucherNo,
    sequenceNo: '1',
    paymentDate: '2026-11-20',
    amounts: { net: '£1,234.56', irrecoverableVat: '0.00' },
    supplier: { name: 'Midland Office Supplies Ltd', id: 'S1001' },
    directorate: 'Resources',
    account: { code: 'R4513', name: 'Stationery' },
    description: 'Stationery for the customer service centre',
  };
}

/** What the council topic holds after a run, by ce_id. */
interface SourceSnapshot {
  good: Set<string>;
  bad: Set<string>;
  copies: number;
}

/** One test's Kafka, Postgres and hub apps. */
export class FaultHarness {
  readonly topics = new TopicNames('');
  readonly schema = 'hub';
  readonly logDir: string;
  stack!: HubStack;
  pool!: Pool;
  /** Set by tests with an HTTP destination: reads what the SSC accepted. */
  httpReceipts?: () => Promise<StageCount>;
  private admin?: Admin;
  private workloads: Workload[] = [];
  private source?: SourceSnapshot;
  /** Set by stop(): loops still polling (a timed-out test) give up instead of outliving the test. */
  private stopped = false;

  private constructor(
    readonly options: FaultHarnessOptions,
    readonly kafka: KafkaClusterHandle,
    readonly postgres: PostgresProcessHandle,
    /** When start() began, and how long Kafka and Postgres took to come up (reported with the counts). */
    readonly started: number,
    readonly infraMs: number,
  ) {
    this.logDir = FaultHarness.logDirFor(options.name);
  }

  /** Where a test's app logs, progress and counts go (wiped when its harness starts). */
  static logDirFor(name: string): string {
    return localPath('logs', `faults-${name}`);
  }

  /**
   * Starts Kafka and Postgres (in parallel), migrates, pre-creates the topics the workload touches and
   * starts the apps (in parallel: each only ensures its topics exist), unless `apps` is empty. If
   * anything fails half-way, what was started is stopped before the error is rethrown.
   */
  static async start(options: FaultHarnessOptions): Promise<FaultHarness> {
    const dataName = `faults-${options.name}`;
    const started = Date.now();
    const nodes = options.kafkaNodes ?? 1;
    // The ports are fixed per test file, but a second checkout running the same tests at the same time
    // (a CI rehearsal beside a developer's run) would collide: step aside to the next free ones.
    const kafkaPorts = (base: number) =>
      nodes === 1
        ? [base, base + 1]
        : [1, 2, 3].flatMap((id) => [id * 10_000 + base, id * 10_000 + base + 1]);
    const basePort = await firstFree(options.kafkaBasePort, kafkaPorts);
    const postgresPort = await firstFree(options.postgresPort, (port) => [port]);
    const [kafka, postgres] = await Promise.allSettled([
      startKafka({ name: dataName, nodes, basePort }),
      startPostgresProcess({ name: dataName, port: postgresPort }),
    ]);
    if (kafka.status === 'rejected' || postgres.status === 'rejected') {
      if (kafka.status === 'fulfilled') await kafka.value.stop();
      if (postgres.status === 'fulfilled') await postgres.value.close();
      throw kafka.status === 'rejected' ? kafka.reason : (postgres as PromiseRejectedResult).reason;
    }
    const harness = new FaultHarness(options, kafka.value, postgres.value, started, Date.now() - started);
    try {
      await harness.prepare();
    } catch (error) {
      await harness.stop();
      throw error;
    }
    return harness;
  }

  get brokers(): string[] {
    return this.kafka.brokers;
  }

  get councilTopic(): string {
    return this.topics.council('coventry', 'finance');
  }
  get canonicalTopic(): string {
    return this.topics.canonical('finance', 'spend');
  }
  get dlqTopic(): string {
    return this.topics.dlq('coventry', 'finance');
  }
  get sscTopic(): string {
    return this.topics.ssc('finance');
  }

  private async prepare(): Promise<void> {
    rmSync(this.logDir, { recursive: true, force: true });
    mkdirSync(this.logDir, { recursive: true });
    this.progress(`kafka and postgres up in ${seconds(this.infraMs)}`);
    await migrate(this.postgres.url, this.schema);
    this.pool = createPgPool(this.postgres.url, this.schema, 2);
    this.admin = this.client('fault-harness-admin').admin();
    await this.admin.connect();
    const replicationFactor = this.options.kafkaNodes === 3 ? 3 : 1;
    // Right after start-up a three-node cluster can still answer "does not host this topic-partition"
    // while leaders settle; creating topics is idempotent, so try again for a while.
    await retry(30_000, () =>
      this.admin!.createTopics({
        waitForLeaders: true,
        topics: [
          this.councilTopic,
          this.canonicalTopic,
          this.dlqTopic,
          this.sscTopic,
          this.topics.ssc('finance-high-value'),
          this.topics.audit,
        ].map((topic) => ({ topic, numPartitions: 3, replicationFactor })),
      }),
    );
    const tokensFile = join(this.logDir, 'tokens.json');
    ensureLocalTokens(tokensFile);
    this.stack = new HubStack({
      brokers: this.brokers,
      databaseUrl: this.postgres.url,
      namespace: '',
      schema: this.schema,
      tokensFile,
      logDir: this.logDir,
      apps: this.options.apps ?? ['audit-writer', 'ingest', 'router'],
      env: {
        // info, not less: AppProcess learns an app's URL from its "app started" info line.
        LOG_LEVEL: 'info',
        TOPIC_REPLICATION: String(replicationFactor),
        // Crash detection and abandoned-transaction clean-up in seconds rather than a minute, so each
        // test stays near two minutes; the logic exercised is the same as with the production defaults.
        KAFKA_SESSION_TIMEOUT_MS: '10000',
        KAFKA_TRANSACTION_TIMEOUT_MS: '20000',
        ...this.options.env,
      },
      appEnv: this.options.appEnv,
    });
    if (this.stack.options.apps.length > 0) await this.startApps(this.stack.options.apps);
  }

  /** Starts apps in parallel (each is a separate process; start order does not matter to the hub). */
  async startApps(apps: HubAppName[]): Promise<void> {
    await Promise.all(apps.map((app) => this.stack.startApp(app)));
    this.progress(`started ${apps.join(', ')}`);
  }

  /** A silent kafkajs client with retries long enough to ride out a broker restart. */
  client(clientId: string): Kafka {
    return new Kafka({
      clientId,
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
      retry: { initialRetryTime: 250, retries: 10, maxRetryTime: 5_000 },
    });
  }

  /** Starts sending; the returned workload tells how far it got and when it finished. */
  async startWorkload(options: WorkloadOptions): Promise<Workload> {
    const tag = `${this.options.name.replace(/[^a-z0-9]/gi, '')}${this.workloads.length}`;
    if (options.aborted) await this.sendAborted(`${tag}-aborted`, options.aborted);
    const kafka = this.client('council-coventry-agresso');
    // Idempotent with one request in flight: the broker drops a retried batch it already has.
    const newProducer: ProducerFactory = async () => {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return producer;
    };
    const workload = new Workload(newProducer, this.councilTopic, options, tag, (line) =>
      this.progress(line),
    );
    this.workloads.push(workload);
    return workload;
  }

  /** Writes good-looking records in a transaction and aborts it (see {@link WorkloadOptions.aborted}). */
  private async sendAborted(tag: string, count: number): Promise<void> {
    const producer = this.client('council-coventry-aborting').producer({
      transactionalId: `${tag}-producer`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const transaction = await producer.transaction();
      await transaction.send({
        topic: this.councilTopic,
        messages: Array.from({ length: count }, (_, i) => ({
          key: `supplier-${i}`,
          value: JSON.stringify(spendRecord(`ABORTED${i}`)),
          headers: cloudEventHeaders({
            id: `${tag}-${i}`,
            source: '/councils/coventry/agresso',
            type: 'uk.gov.council.finance.spend',
            contentType: 'application/json',
          }),
        })),
      });
      await transaction.abort();
      this.progress(`wrote ${count} records in a transaction and aborted it`);
    } finally {
      await producer.disconnect();
    }
  }

  /** Audit rows per stage (total and distinct event ids). Throws while Postgres is down. */
  async auditCounts(): Promise<Record<string, StageCount>> {
    const { rows } = await this.pool.query<{ stage: string; total: number; distinct_events: number }>(
      `SELECT stage, count(*)::int AS total, count(DISTINCT event_id)::int AS distinct_events FROM audit_event GROUP BY stage`,
    );
    return Object.fromEntries(rows.map((r) => [r.stage, { total: r.total, distinct: r.distinct_events }]));
  }

  /**
   * Waits until the workload has finished, reads what the council topic holds, then waits until every
   * audit event that implies is in Postgres (the audit log is the last stage: events are committed in
   * the same Kafka transactions as the outputs they describe) and the counts stop moving for `settleMs`.
   * Never throws on timeout: the counts then show what is missing.
   */
  async waitForQuiescence(workload: Workload, timeoutMs = 150_000, settleMs = 3_000): Promise<number> {
    await workload.finished;
    await workload.close();
    this.progress(`workload finished: ${workload.sent} acknowledged, ${workload.sendRetries} send retries`);
    const source = await this.readSource(workload);
    this.progress(
      `council topic: ${source.good.size} good, ${source.bad.size} bad ce_ids in ${source.copies} records`,
    );
    const expected = this.expectedAudit(source.good.size, source.copies - source.good.size);
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let stableSince = Date.now();
    let lastProgress = 0;
    for (;;) {
      const counts = await this.auditCounts().catch(() => undefined);
      const snapshot = JSON.stringify(counts ?? {});
      if (snapshot !== last) {
        last = snapshot;
        stableSince = Date.now();
      }
      const complete =
        counts !== undefined &&
        Object.entries(expected).every(([stage, n]) => (counts[stage]?.distinct ?? 0) >= n);
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        this.progress(`audit so far: ${counts ? summarise(counts) : 'database unreachable'}`);
      }
      if (complete && Date.now() - stableSince >= settleMs) {
        this.progress('quiescent');
        return Date.now();
      }
      if (Date.now() > deadline || this.stopped) {
        this.progress(
          `gave up waiting after ${seconds(timeoutMs)}: expected at least ${JSON.stringify(expected)}`,
        );
        return Date.now();
      }
      await delay(500);
    }
  }

  /**
   * Lower bounds of the audit per stage: every source copy is received; each good ce_id transformed,
   * routed and delivered once per route; every other copy is rejected or recognised as a duplicate.
   */
  private expectedAudit(goodIds: number, otherCopies: number): Record<string, number> {
    const routes = this.options.routesPerRecord ?? 1;
    return {
      [AuditStages.RECEIVED]: goodIds + otherCopies,
      [AuditStages.TRANSFORMED]: goodIds,
      [AuditStages.ROUTED]: goodIds * routes,
      [AuditStages.DELIVERED]: goodIds * routes,
    };
  }

  /** The council topic, read_committed, until it holds at least what the producer had acknowledged. */
  private async readSource(workload: Workload): Promise<SourceSnapshot> {
    const read = await readTopics(
      this.client('fault-harness-source'),
      [{ topic: this.councilTopic, expected: workload.sent }],
      { timeoutMs: 30_000, settleMs: 1_000 },
    );
    const messages = read.get(this.councilTopic) ?? [];
    const ids = messages.map((m) => m.headers[CeHeaders.id] ?? '');
    this.source = {
      good: new Set(ids.filter((id) => id.includes('-good-'))),
      bad: new Set(ids.filter((id) => id.includes('-bad-'))),
      copies: messages.length,
    };
    return this.source;
  }

  /** Reads every stage and the audit log and returns the counts (call after {@link waitForQuiescence}). */
  async count(workload: Workload): Promise<FaultCounts> {
    this.progress('counting');
    const source = this.source ?? (await this.readSource(workload));
    const read = await readTopics(
      this.client('fault-harness-count'),
      [
        { topic: this.canonicalTopic, expected: source.good.size },
        { topic: this.dlqTopic, expected: source.bad.size },
        { topic: this.sscTopic, expected: source.good.size },
      ],
      { timeoutMs: 30_000, settleMs: 2_000 },
    );
    const canonical = read.get(this.canonicalTopic) ?? [];
    const canonicalEventIds = new Set(
      canonical.map((m) => (parseJson(m.value) as { source?: { eventId?: string } }).source?.eventId ?? ''),
    );
    const acked = [...workload.ackedGood, ...workload.ackedBad];
    const report = await verifyAuditLog(this.pool);
    const counts: FaultCounts = {
      acked: { good: workload.ackedGood.length, bad: workload.ackedBad.length },
      source: {
        good: source.good.size,
        bad: source.bad.size,
        copies: source.copies,
        ackedButMissing: acked.filter((id) => !source.good.has(id) && !source.bad.has(id)).length,
      },
      canonical: stageCount(canonical, (m) => (parseJson(m.value) as { revision?: string }).revision),
      canonicalMissing: [...source.good].filter((id) => !canonicalEventIds.has(id)).length,
      canonicalForeign: [...canonicalEventIds].filter((id) => !source.good.has(id)).length,
      dlq: stageCount(read.get(this.dlqTopic) ?? [], (m) => m.headers[CeHeaders.id]),
      delivered: stageCount(read.get(this.sscTopic) ?? [], (m) => m.headers[DeliveryHeaders.deliveryId]),
      audit: await this.auditCounts(),
      chain: { ok: report.ok, events: report.eventsChecked, firstBreak: report.firstBreak?.message },
      http: this.httpReceipts ? await this.httpReceipts() : undefined,
    };
    this.progress('counted');
    return counts;
  }

  /**
   * Everything that is not exactly once, as readable lines (empty when all is well). Per stage: each good
   * ce_id the broker holds is exactly once in canonical, ssc.finance, the SSC's HTTP receipts and the
   * `transformed`, `routed` and `delivered` audit events; each bad one is in the DLQ; every source record
   * is received once and ends in exactly one of transformed, rejected or duplicate; nothing else appears
   * (no failures, no records the broker never accepted) and the hash chain verifies.
   */
  problems(counts: FaultCounts): string[] {
    const problems: string[] = [];
    const exact = (what: string, c: StageCount | undefined, expected: number, repeatsAllowed = false) => {
      const actual = c ?? { distinct: 0, total: 0 };
      if (actual.distinct < expected)
        problems.push(`${what}: ${expected - actual.distinct} lost (${actual.distinct} of ${expected})`);
      if (actual.distinct > expected)
        problems.push(`${what}: ${actual.distinct - expected} unexpected extra items`);
      if (!repeatsAllowed && actual.total > actual.distinct)
        problems.push(`${what}: ${actual.total - actual.distinct} duplicated`);
    };
    const { source, audit } = counts;
    const routes = this.options.routesPerRecord ?? 1;
    if (source.ackedButMissing > 0)
      problems.push(`council topic: ${source.ackedButMissing} acknowledged records are missing`);
    exact('canonical', counts.canonical, source.good);
    if (counts.canonicalMissing > 0)
      problems.push(`canonical: ${counts.canonicalMissing} good ce_ids have no canonical record`);
    if (counts.canonicalForeign > 0)
      problems.push(`canonical: ${counts.canonicalForeign} records of events the broker never accepted`);
    exact('delivered (ssc.finance)', counts.delivered, source.good);
    // An SSC may see a request again (a timed-out attempt it did process); it must be the same key.
    if (counts.http) exact('delivered (HTTP, idempotency keys at the SSC)', counts.http, source.good, true);
    exact('audit received', audit[AuditStages.RECEIVED], source.copies);
    exact('audit transformed', audit[AuditStages.TRANSFORMED], source.good);
    exact('audit routed', audit[AuditStages.ROUTED], source.good * routes);
    exact('audit delivered', audit[AuditStages.DELIVERED], source.good * routes);
    const rejected = audit[AuditStages.REJECTED] ?? { distinct: 0, total: 0 };
    const duplicate = audit[AuditStages.DUPLICATE] ?? { distinct: 0, total: 0 };
    exact('audit rejected', rejected, rejected.distinct);
    exact('audit duplicate', duplicate, duplicate.distinct);
    // Each bad ce_id is dead-lettered; a re-sent copy may be dead-lettered again or recognised as a
    // duplicate, but one DLQ record per `rejected` event, never more.
    exact('dlq', counts.dlq, source.bad, true);
    if (counts.dlq.total !== rejected.total)
      problems.push(`dlq: ${counts.dlq.total} records for ${rejected.total} rejected events`);
    const outcomes = (audit[AuditStages.TRANSFORMED]?.distinct ?? 0) + rejected.distinct + duplicate.distinct;
    if (outcomes !== source.copies)
      problems.push(`audit: ${outcomes} outcomes for ${source.copies} source records`);
    if (duplicate.distinct > 0 && source.copies === source.good + source.bad) {
      problems.push(
        `audit duplicate: ${duplicate.distinct} events, but the council topic holds no repeated ce_id`,
      );
    }
    const known = new Set<string>([
      AuditStages.RECEIVED,
      AuditStages.TRANSFORMED,
      AuditStages.REJECTED,
      AuditStages.DUPLICATE,
      AuditStages.ROUTED,
      AuditStages.DELIVERED,
      ...(this.options.allowedExtraStages ?? []),
    ]);
    for (const [stage, c] of Object.entries(audit)) {
      if (!known.has(stage)) problems.push(`audit ${stage}: ${c.total} unexpected events`);
      else if (c.total > c.distinct) exact(`audit ${stage}`, c, c.distinct);
    }
    if (!counts.chain.ok) problems.push(`audit chain broken: ${counts.chain.firstBreak}`);
    return problems;
  }

  /** The one line each test prints (also appended to `<logDir>/counts.txt`). */
  report(title: string, counts: FaultCounts, extra: Record<string, string | number> = {}): string {
    const sc = (c: StageCount | undefined) => `${c?.distinct ?? 0}/${c?.total ?? 0}`;
    const dup = (c: StageCount | undefined) => (c ? c.total - c.distinct : 0);
    const { source } = counts;
    const problems = this.problems(counts);
    const duplicates =
      dup(counts.canonical) +
      dup(counts.delivered) +
      Object.values(counts.audit).reduce((sum, c) => sum + c.total - c.distinct, 0);
    const lost =
      Math.max(0, source.good - counts.canonical.distinct) +
      Math.max(0, source.bad - counts.dlq.distinct) +
      Math.max(0, source.good - counts.delivered.distinct) +
      (counts.http ? Math.max(0, source.good - counts.http.distinct) : 0);
    const fields = [
      `sent=${source.good + source.bad} (good ${source.good}, bad ${source.bad}; ${source.copies} source records)`,
      `canonical=${sc(counts.canonical)}`,
      `dlq=${sc(counts.dlq)}`,
      `delivered=${sc(counts.delivered)}`,
      ...(counts.http ? [`http=${sc(counts.http)}`] : []),
      `audit[distinct/total] ${summarise(counts.audit)}`,
      `chain=${counts.chain.ok ? 'ok' : 'BROKEN'}(${counts.chain.events})`,
      `lost=${lost}`,
      `duplicated=${duplicates}`,
      `problems=${problems.length}`,
      ...Object.entries(extra).map(([k, v]) => `${k}=${v}`),
      `infraStart=${seconds(this.infraMs)}`,
      `elapsed=${seconds(Date.now() - this.started)}`,
    ];
    const line = `[faults] ${title}: ${fields.join(' ')}`;
    console.log(line);
    // Kept beside the app logs, so a CI run's numbers survive jest's output.
    writeFileSync(join(this.logDir, 'counts.txt'), `${line}\n`, { flag: 'a' });
    return line;
  }

  /**
   * A timestamped line in `<logDir>/progress.log`: when a test times out, this (with the apps' logs
   * beside it) says how far it got.
   */
  progress(line: string): void {
    writeFileSync(join(this.logDir, 'progress.log'), `${new Date().toISOString()} ${line}\n`, { flag: 'a' });
  }

  /** Partitions of `topic` each member of `groupId` holds, keyed by the member's client id. */
  async assignments(groupId: string, topic: string): Promise<Map<string, number[]>> {
    const { groups } = await this.admin!.describeGroups([groupId]);
    const result = new Map<string, number[]>();
    for (const member of groups[0]?.members ?? []) {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      result.set(
        member.clientId,
        [...(assignment?.assignment[topic] ?? [])].sort((a, b) => a - b),
      );
    }
    return result;
  }

  /** Stops everything this harness started; every step runs even if an earlier one fails. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.workloads.forEach((w) => w.stop());
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['apps', () => this.stack?.stop() ?? Promise.resolve()],
      ['producers', () => Promise.all(this.workloads.map((w) => w.close()))],
      ['admin', () => this.admin?.disconnect() ?? Promise.resolve()],
      ['pool', () => this.pool?.end() ?? Promise.resolve()],
      // kill -9 first: the data is thrown away anyway, and an orderly broker shutdown costs 5-15 s.
      [
        'kafka',
        async () => {
          for (const node of this.kafka.nodes) if (node.pid !== undefined) await this.kafka.killNode(node.id);
          await this.kafka.stop();
        },
      ],
      ['postgres', () => this.postgres.close()],
    ];
    const slow: string[] = [];
    for (const [name, step] of steps) {
      const started = Date.now();
      await step().catch((error: unknown) => console.error(`fault harness clean-up (${name}):`, error));
      if (Date.now() - started > 3_000) slow.push(`${name} ${seconds(Date.now() - started)}`);
    }
    if (slow.length > 0) console.log(`[faults] ${this.options.name}: slow clean-up: ${slow.join(', ')}`);
  }
}

/**
 * Reads topics from the beginning (read_committed, one fresh consumer group) until each holds at least
 * its expected count, then `settleMs` longer so late duplicates are seen too. Returns what arrived even on
 * timeout, so the caller reports losses as counts instead of a timeout error.
 */
export async function readTopics(
  kafka: Kafka,
  targets: Array<{ topic: string; expected: number }>,
  options: { timeoutMs: number; settleMs: number },
): Promise<Map<string, ReceivedMessage[]>> {
  const received = new Map<string, ReceivedMessage[]>(targets.map((t) => [t.topic, []]));
  const consumer = kafka.consumer({
    groupId: `fault-count-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`,
    maxWaitTimeInMs: 250,
  });
  const enough = () => targets.every((t) => (received.get(t.topic)?.length ?? 0) >= t.expected);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: targets.map((t) => t.topic), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, raw] of Object.entries(message.headers ?? {})) {
          const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
          if (value !== undefined) headers[name] = value.toString();
        }
        received.get(topic)?.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers,
          timestamp: message.timestamp,
        });
      },
    });
    const deadline = Date.now() + options.timeoutMs;
    while (!enough() && Date.now() < deadline) await delay(200);
    await delay(options.settleMs);
    return received;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

function summarise(counts: Record<string, StageCount>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stage, c]) => `${stage}=${c.distinct}/${c.total}`)
    .join(' ');
}

function stageCount(
  messages: ReceivedMessage[],
  key: (m: ReceivedMessage) => string | undefined,
): StageCount {
  return { total: messages.length, distinct: new Set(messages.map(key)).size };
}

function parseJson(value: Buffer | null): unknown {
  try {
    return JSON.parse(value?.toString('utf8') ?? 'null') ?? {};
  } catch {
    return {};
  }
}

/**
 * The first of `preferred`, `preferred + 20`, ... (ten tries) whose ports (`portsOf`) are all free on
 * 127.0.0.1; `preferred` itself if none is, so the start fails with devstack's message naming the port.
 */
async function firstFree(preferred: number, portsOf: (base: number) => number[]): Promise<number> {
  for (let i = 0; i < 10; i++) {
    const base = preferred + i * 20;
    const free = await Promise.all(portsOf(base).map(isFree));
    if (free.every(Boolean)) return base;
  }
  return preferred;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Runs `work` until it succeeds, retrying every second for up to `timeoutMs`; then rethrows its last error. */
export async function retry<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(1_000);
    }
  }
}

/** Promise-based sleep. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Java's `String.hashCode`, which Kafka uses to place a transactional id on a `__transaction_state`
 * partition (`abs(hash) % partitions`): lets a test find, and kill, the broker coordinating an app's
 * transactions.
 */
export function javaStringHash(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  return hash;
}

/** Seconds, one decimal, for printed timings. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
