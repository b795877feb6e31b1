import type { BenchOptions } from '../cli/bench-options.parser';
import type { MachineInfo } from '../infra/machine-info.collector';
import type { CpuCost } from '../measure/cpu-cost.calculator';
import type { ProfileSummary } from '../measure/cpu-profile.summarizer';
import type { BatchActivity } from '../measure/hub-metrics.scraper';

/** Records per second, second by second, from a scenario's clock start. */
export interface ThroughputSeries {
  label: string;
  points: Array<{ t: number; perSecond: number }>;
}

/** The two-hop pass-through ceiling. */
export interface BaselineResult {
  mode: 'plain' | 'transactional';
  description: string;
  records: number;
  deliveries: number;
  seconds: number;
  recordsPerSecond: number;
  deliveriesPerSecond: number;
  produceRecordsPerSecond: number;
  complete: boolean;
  cpu?: CpuCost;
  /** Batch loop of each hop (batch time includes the produce and the commit or transaction). */
  hops?: Record<string, StageActivity>;
  /** With --repeat: every run's records/s and CPU ms per record, in run order (this result is the median run). */
  runs?: RunSpread[];
}

/** One of several runs of a throughput scenario (--repeat). */
export interface RunSpread {
  recordsPerSecond?: number;
  cpuMsPerRecord?: number;
}

/** CPU and batch-loop activity of one app during a run. */
export interface StageActivity extends Partial<BatchActivity> {
  cpuPercent?: number;
}

/** The hub end to end. */
export interface HubResult {
  records: number;
  expectedDeliveries: number;
  delivered: number;
  audited: number;
  deliveredSeconds?: number;
  auditedSeconds?: number;
  totalSeconds?: number;
  recordsPerSecond?: number;
  deliveredOnlyRecordsPerSecond?: number;
  ratioToPlainBaseline?: number;
  ratioToTransactionalBaseline?: number;
  /** How long after the last SSC delivery the last `delivered` audit row was committed. */
  auditLagSeconds?: number;
  produceRecordsPerSecond: number;
  clock: string;
  rejectedByHub?: number;
  /** Records the in-process mapping predicted would be rejected (DLQ). */
  expectedRejected: number;
  stages: Record<string, StageActivity>;
  complete: boolean;
  cpu?: CpuCost;
  /** With --repeat: every run's records/s and CPU ms per record, in run order (this result is the median run). */
  runs?: RunSpread[];
}

/** Memory of one app over a sustained run. */
export interface MemoryTrend {
  firstThirdMb: number;
  lastThirdMb: number;
  growthPercent: number;
  peakMb: number;
  /** verdict === 'flat'. */
  flat: boolean;
  /** `filling`: a bounded cache was not yet full long enough to judge (see memoryTrends). */
  verdict: 'flat' | 'growing' | 'filling';
  /** The app's bounded in-memory cache at the end of the window (the ingest's recent outcomes). */
  boundedCache?: { entries: number; capacity: number };
  /** Seconds into the window from which the trend was judged (once the bounded cache was full). */
  judgedFromSeconds?: number;
  /**
   * Lowest V8 heap in use in the first and last third of the judged window, MB: the live heap after garbage
   * collections. Level while RSS grows means V8 sized its heap up, not a leak.
   */
  liveHeapMb?: { firstThird: number; lastThird: number };
  /** The same for external memory (`nodejs_external_memory_bytes`: Buffers outside the V8 heap), MB. */
  externalMb?: { firstThird: number; lastThird: number };
  /**
   * Mean V8 heap committed (`nodejs_heap_size_total_bytes`) in the first and last third, MB: rising while the
   * live heap stays level means V8 keeps more room for new objects; level while RSS rises points below V8.
   */
  heapCommittedMb?: { firstThird: number; lastThird: number };
}

/** Latency at a fixed offered rate. */
export interface LatencyResult {
  offeredRate: number;
  durationSeconds: number;
  achievedRate: number;
  producerMaxBehind: number;
  records: number;
  expectedDeliveries: number;
  delivered: number;
  p50Ms?: number;
  p90Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  p999Ms?: number;
  maxMs?: number;
  meanMs?: number;
  percentiles: Array<{ percentile: number; ms: number }>;
  /** After the last record was sent: until every record was delivered and audited. */
  drainSeconds?: number;
  auditedAll: boolean;
  memory: Record<string, MemoryTrend>;
  stages: Record<string, StageActivity>;
  distinctRecords: number;
  cpu?: CpuCost;
  /** The unmeasured phase before the clock (`--warmup`), absent when there was none. */
  warmup?: LatencyWarmup;
}

/** The warm-up phase of a latency run: the same offered rate, not in the histogram. */
export interface LatencyWarmup {
  seconds: number;
  /** From its first send to the first delivery at the SSC: a hub's start-up delay after idling. */
  firstDeliveryMs?: number;
  delivered: number;
  expected: number;
  /** Whether every warm-up delivery and its audit row were in before the clock started. */
  settled: boolean;
}

/** Lineage lookups over a large audit table. */
export interface LineageResult {
  rows: number;
  months: number;
  reused: boolean;
  /** Wall time to generate, index and attach the rows (absent when reused). */
  loadSeconds?: number;
  indexSeconds?: number;
  tableSizeGb?: number;
  /** Record-id lookups (source event, canonical, revision, delivery id); file ids are only in byKind. */
  lookups: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  byKind: Record<string, { p50Ms: number; p95Ms: number; lookups: number }>;
  /** EXPLAIN ANALYZE of findLineage's matching query, one random id per kind. */
  plans: Array<{ kind: string; planningMs: number; executionMs: number }>;
}

/** In-process mapping throughput. */
export interface MappingResult {
  perMapping: Array<{
    mappingId: string;
    domain: string;
    format: string;
    generator: 'hand-written' | 'synthetic';
    meanBytes: number;
    /** Per CPU-second of the measuring thread ("per core"), not per wall second: stable on a shared machine. */
    mapPerSecond: number;
    parseAndMapPerSecond: number;
    wallMapPerSecond: number;
    wallParseAndMapPerSecond: number;
  }>;
  perDomain: Array<{ domain: string; mapPerSecond: number; parseAndMapPerSecond: number }>;
}

/** In-process cost of each pipeline stage's own code (no Kafka), one core. */
export interface StageCostResult {
  batchSize: number;
  /** Rates per CPU-second (per core); wall rates beside them. */
  ingest: { recordsPerSecond: number; microsPerRecord: number; wallRecordsPerSecond: number };
  router: { recordsPerSecond: number; microsPerRecord: number; wallRecordsPerSecond: number };
  auditHash: { eventsPerSecond: number; microsPerEvent: number };
  /** Per CPU-second of the writer plus Postgres. */
  auditWrite: {
    eventsPerSecond: number;
    recordsPerSecond: number;
    wallEventsPerSecond: number;
    msPerBatch: number;
    eventsPerBatch: number;
  };
  auditEventsPerRecord: number;
  details: Record<string, number>;
}

/** Scale-out over ingest instances. */
export interface ScaleOutResult {
  partitions: number;
  clock: string;
  runs: Array<{
    instances: number;
    records: number;
    seconds?: number;
    recordsPerSecond?: number;
    delivered: number;
    expected: number;
    complete: boolean;
    cpuMsPerRecord?: number;
    /** CPU of each process over the run, % of one core: shows which one saturates. */
    cpuPercentByProcess?: Record<string, number>;
  }>;
  churn?: {
    records: number;
    rate: number;
    events: string[];
    expected: number;
    sscMessages: number;
    sscDistinct: number;
    sscDuplicates: number;
    auditDelivered: number;
    auditDistinctDelivered: number;
    auditReceived: number;
    auditDistinctReceived: number;
    lost: number;
    doubled: number;
    ok: boolean;
  };
}

/** The delivery workers' backlog at one moment of the soak (records, see DeliveryBacklogCounter). */
export interface SoakLagSample {
  /** Seconds since the offered load started. */
  t: number;
  routed: number;
  committed: number;
  waiting: number;
  offsetLag: number;
  /** Distinct records the SSC simulator has accepted. */
  deliveredToSsc: number;
}

/** Back-pressure: the hub against a slow HTTP destination for minutes. */
export interface SoakResult {
  durationSeconds: number;
  offeredRate: number;
  achievedRate: number;
  records: number;
  /** The HTTP destinations (all made slow) and how slow. */
  destinations: string[];
  delayMs: number;
  /** Records the routing table sends to them (predicted in-process, as every scenario's counts). */
  offeredToSlow: number;
  /** Counted on `hub.delivery.*` (read-committed) once the router had caught up. */
  routedToSlow: number;
  /** After the run, with the delivery app stopped: records behind / at or after its committed offsets. */
  committed: number;
  waiting: number;
  /** `delivered` audit rows of the delivery app (distinct delivery ids): must equal `committed`. */
  auditedDelivered: number;
  /** `delivery_failed` audit rows: dead-lettered. None expected (the destination is slow, not failing). */
  deadLettered: number;
  /** What the simulator holds: distinct keys, requests and repeats (the open batch, re-sent after a restart). */
  deliveredToSsc: number;
  sscRequests: number;
  sscDuplicates: number;
  /** Kafka destinations over the same run: a slow HTTP destination must hold up only itself. */
  kafkaExpected: number;
  kafkaDelivered: number;
  /** After the last send: until the last Kafka delivery (undefined: not all arrived). */
  kafkaDrainSeconds?: number;
  /** Every 5 s while the load was offered, and once at its end. */
  lag: SoakLagSample[];
  lagGrew: boolean;
  /** Every count adds up (empty) or what does not. */
  problems: string[];
  memory: Record<string, MemoryTrend>;
  /** Mean RSS per process in each tenth of the run, MB (null: no sample in that slice). */
  rssTimeline: { sliceSeconds: number; mb: Record<string, Array<number | null>> };
  /** VmHWM per process over the run, MB. */
  peakRssMb: Record<string, number>;
  stages: Record<string, StageActivity>;
}

/** One row of THE table. */
export interface TableRow {
  scenario: string;
  metric: string;
  value: string;
  target: string;
  status: 'met' | 'not met' | 'n/a' | '';
}

/** Everything one run wrote. */
export interface BenchResults {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  durationSeconds?: number;
  label: string;
  command: string;
  nodeCommand: string;
  machine: MachineInfo;
  versions: { node: string; kafka: string; kafkajs: string; postgres?: string };
  infrastructure: { kafka: string; postgres: string };
  options: BenchOptions;
  mix: {
    sources: Array<{ id: string; weight: number; mapping: string; generator: string; contentType: string }>;
    excluded: Array<{ source: string; reason: string }>;
    meanValueBytes?: number;
    meanCanonicalBytes?: number;
  };
  scenarios: {
    baseline?: BaselineResult[];
    hub?: HubResult;
    latency?: LatencyResult;
    lineage?: LineageResult;
    mapping?: MappingResult;
    stages?: StageCostResult;
    scaleOut?: ScaleOutResult;
    soak?: SoakResult;
    peakRssMb?: Record<string, number>;
    /** With --profile: where each hub app's CPU went over its whole life (hub + latency scenarios). */
    profiles?: Record<string, ProfileSummary>;
  };
  series: ThroughputSeries[];
  table: TableRow[];
  errors: Array<{ scenario: string; message: string }>;
  notes: string[];
}
