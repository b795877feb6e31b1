/** Every scenario the bench can run, in run order. */
export const SCENARIOS = [
  'mapping',
  'stages',
  'baseline',
  'hub',
  'latency',
  'lineage',
  'scale-out',
  'soak',
] as const;
/** One of {@link SCENARIOS}. */
export type ScenarioName = (typeof SCENARIOS)[number];

/**
 * Scenarios of a plain `npm run bench`. Scale-out and soak take several minutes more each (soak 5 minutes
 * of offered load by default, +50% on an 11-minute run) and measure properties that routine performance
 * work does not move; ask for them with --only.
 */
export const DEFAULT_SCENARIOS: readonly ScenarioName[] = [
  'mapping',
  'stages',
  'baseline',
  'hub',
  'latency',
  'lineage',
];

/** The bench's settings, from the command line; every default is written here, once. */
export interface BenchOptions {
  scenarios: ScenarioName[];
  /** Records per baseline / hub throughput run. */
  records: number;
  /**
   * Runs of each throughput scenario (baselines, hub); the table shows the median run and the spread. On
   * a shared machine one run's rate can be 30% off the next, so compare changes with 3 or more.
   */
  repeat: number;
  /** Partitions of every topic the bench creates (council, canonical, ssc, audit, dlq). */
  partitions: number;
  /** Relative weight per domain in the record mix; domains not named get weight 1. */
  mix: Record<string, number>;
  /** Send file-export rows (ce_type hub.file.row.csv, as the console splits uploads) for CSV feeds. */
  fileRows: boolean;
  /** Include feeds of councils outside the partnership (their records are refused, not delivered). */
  nonMembers: boolean;
  /** Synthesise records from mapping files that have no hand-written generator. */
  synthetic: boolean;
  /** Latency scenario: offered rate (records/s) and duration (s). */
  rate: number;
  durationSeconds: number;
  /**
   * Paced runs (latency, churn): distinct source records generated; the rest of the run re-sends them as
   * updates with new ce_ids (predicting every record's routing in-process costs ~0.3 ms each here).
   */
  pacedDistinct: number;
  /** Latency: how long to wait after the last send for the rest to arrive (a saturated hub never catches up). */
  drainSeconds: number;
  /**
   * Latency: seconds of the same offered rate before the clock, not measured (0: none). A hub that has
   * been idle takes seconds over its first transactions; without this, those seconds were the whole
   * p95/p99 of a 60 s run at 500/s.
   */
  warmupSeconds: number;
  /**
   * Unmeasured transactional pass-through runs before the first Kafka scenario. The bench starts its own
   * broker, and a fresh JVM spends its first minutes compiling its hot paths: a profile of it at 500
   * records/s a minute after start showed 13.9 s of C2 compilation in 40 s, about a third of its CPU.
   */
  brokerWarmupRuns: number;
  /** Lineage scenario: audit rows to generate, lookups to time. */
  lineageRows: number;
  lineageLookups: number;
  /** Keep the bench Postgres data and the lineage schema between runs (skips the bulk load next time). */
  keepLineage: boolean;
  /** Mapping / stage scenarios: measuring time per mapping or stage, milliseconds. */
  measureMs: number;
  /** In-process stage scenario: records per batch handed to the use cases. */
  stageBatch: number;
  /** Scale-out: records per run, instance counts, partitions, and the join/leave run. */
  scaleRecords: number;
  scaleInstances: number[];
  scalePartitions: number;
  churnSeconds: number;
  churnRate: number;
  /**
   * Soak: offered records/s (the whole mix) for `soakSeconds`, with every HTTP destination (the simulator)
   * answering after `soakDelayMs`, far slower than the share of records routed to it arrives.
   */
  soakSeconds: number;
  soakRate: number;
  soakDelayMs: number;
  seed: number;
  /** Postgres with fsync and synchronous commit (default), as the audit log would run in production. */
  durable: boolean;
  resultsDir: string;
  /** Free text stored with the results (e.g. "after batching change"). */
  label: string;
  /** Update the table in bench/README.md. */
  updateReadme: boolean;
  /** Profile the hub apps (V8 sampling profiler) and summarise where their CPU went. */
  profile: boolean;
}

const USAGE = `usage: npm run bench -- [options]
  --only a,b          scenarios: ${SCENARIOS.join(', ')} (default: ${DEFAULT_SCENARIOS.join(',')}; "all" adds scale-out and soak)
  --skip a,b          leave scenarios out
  --records N         records per baseline/hub run (default 20000)
  --repeat N          run each baseline and the hub N times; report the median run and the spread (default 1)
  --partitions N      partitions per topic (default 3, as the hub's TOPIC_PARTITIONS)
  --mix d=w,...       domain weights of the record mix, e.g. finance=2,hr=1 (default 1 each)
  --no-file-rows      do not send CSV file rows (ce_type hub.file.row.csv)
  --non-members       include non-partnership feeds (refused by routing, never delivered)
  --no-synthetic      only mappings with a hand-written generator
  --rate N            latency: offered records/s (default 2000)
  --duration S        latency: seconds at that rate (default 60)
  --paced-distinct N  latency/churn: distinct records, the rest re-sent as updates (default 20000)
  --drain-seconds S   latency: wait at most this long after the last send (default 30)
  --warmup S          latency: offer the rate for S seconds before the clock, unmeasured (default 15; 0: none)
  --broker-warmup N   unmeasured transactional pass-through runs before the first Kafka scenario, so the
                      fresh broker JVM has compiled its hot paths (default 2; 0: none)
  --lineage-rows N    audit rows for the lineage lookup (default 10000000)
  --lineage-lookups N timed lookups (default 300)
  --keep-lineage      keep Postgres data and the lineage rows for the next run
  --measure-ms N      time per mapping / stage measurement (default 700)
  --stage-batch N     records per in-process batch (default 500)
  --scale-records N   scale-out: records per instance count (default 30000)
  --scale-instances   scale-out: instance counts (default 1,2,3)
  --scale-partitions  scale-out: partitions per council topic (default 6)
  --churn-seconds S   scale-out join/leave run length (default 40; 0 skips it)
  --churn-rate N      scale-out join/leave offered rate (default 500)
  --soak-duration S   soak: seconds of offered load against a slow HTTP destination (default 300)
  --soak-rate N       soak: offered records/s, whole mix (default 200)
  --soak-delay-ms N   soak: the HTTP destination answers after this long (default 500)
  --seed N            random seed (default 20261123)
  --no-durable        Postgres without fsync (faster, not production-like)
  --results-dir DIR   default bench/results
  --label TEXT        note stored with the results
  --no-readme         do not update bench/README.md
  --profile           CPU-profile the hub apps and summarise where their time went (adds some overhead)`;

/** Parses `process.argv.slice(2)`; throws with the usage text on a bad flag. */
export function parseBenchOptions(argv: readonly string[], defaultResultsDir: string): BenchOptions {
  const o: BenchOptions = {
    scenarios: [...DEFAULT_SCENARIOS],
    records: 20_000,
    repeat: 1,
    partitions: 3,
    mix: {},
    fileRows: true,
    nonMembers: false,
    synthetic: true,
    rate: 2_000,
    durationSeconds: 60,
    pacedDistinct: 20_000,
    drainSeconds: 30,
    warmupSeconds: 15,
    brokerWarmupRuns: 2,
    lineageRows: 10_000_000,
    lineageLookups: 300,
    keepLineage: false,
    measureMs: 700,
    stageBatch: 500,
    scaleRecords: 30_000,
    scaleInstances: [1, 2, 3],
    scalePartitions: 6,
    churnSeconds: 40,
    churnRate: 500,
    soakSeconds: 300,
    soakRate: 200,
    soakDelayMs: 500,
    seed: 20_261_123,
    durable: true,
    resultsDir: defaultResultsDir,
    label: '',
    updateReadme: true,
    profile: false,
  };
  const skip = new Set<string>();
  const args = [...argv];
  const value = (flag: string): string => {
    const v = args.shift();
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n\n${USAGE}`);
    return v;
  };
  const int = (flag: string, min = 0): number => {
    const raw = value(flag).replace(/_/g, '');
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${flag} must be an integer >= ${min}, not "${raw}"`);
    return n;
  };
  const names = (flag: string): ScenarioName[] => {
    const list = value(flag)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.includes('all')) return [...SCENARIOS];
    for (const s of list)
      if (!(SCENARIOS as readonly string[]).includes(s))
        throw new Error(`${flag}: unknown scenario "${s}"\n\n${USAGE}`);
    return list as ScenarioName[];
  };
  while (args.length > 0) {
    const flag = args.shift()!;
    switch (flag) {
      case '--only':
        o.scenarios = names(flag);
        break;
      case '--skip':
        for (const s of names(flag)) skip.add(s);
        break;
      case '--records':
        o.records = int(flag, 1);
        break;
      case '--repeat':
        o.repeat = int(flag, 1);
        break;
      case '--partitions':
        o.partitions = int(flag, 1);
        break;
      case '--mix':
        for (const part of value(flag).split(',')) {
          const [domain, weight] = part.split('=');
          const w = Number(weight);
          if (!domain || !Number.isFinite(w) || w < 0)
            throw new Error(`--mix: "${part}" is not domain=weight`);
          o.mix[domain.trim()] = w;
        }
        break;
      case '--file-rows':
        o.fileRows = true;
        break;
      case '--no-file-rows':
        o.fileRows = false;
        break;
      case '--non-members':
        o.nonMembers = true;
        break;
      case '--no-synthetic':
        o.synthetic = false;
        break;
      case '--rate':
        o.rate = int(flag, 1);
        break;
      case '--duration':
        o.durationSeconds = int(flag, 1);
        break;
      case '--paced-distinct':
        o.pacedDistinct = int(flag, 1);
        break;
      case '--drain-seconds':
        o.drainSeconds = int(flag, 1);
        break;
      case '--broker-warmup':
        o.brokerWarmupRuns = int(flag, 0);
        break;
      case '--warmup':
        o.warmupSeconds = int(flag, 0);
        break;
      case '--lineage-rows':
        o.lineageRows = int(flag, 4);
        break;
      case '--lineage-lookups':
        o.lineageLookups = int(flag, 1);
        break;
      case '--keep-lineage':
        o.keepLineage = true;
        break;
      case '--measure-ms':
        o.measureMs = int(flag, 100);
        break;
      case '--stage-batch':
        o.stageBatch = int(flag, 1);
        break;
      case '--scale-records':
        o.scaleRecords = int(flag, 1);
        break;
      case '--scale-instances':
        o.scaleInstances = value(flag)
          .split(',')
          .map((s) => Number(s));
        if (o.scaleInstances.some((n) => !Number.isInteger(n) || n < 1 || n > 12))
          throw new Error('--scale-instances: integers 1-12');
        break;
      case '--scale-partitions':
        o.scalePartitions = int(flag, 1);
        break;
      case '--churn-seconds':
        o.churnSeconds = int(flag, 0);
        break;
      case '--churn-rate':
        o.churnRate = int(flag, 1);
        break;
      case '--soak-duration':
        o.soakSeconds = int(flag, 10);
        break;
      case '--soak-rate':
        o.soakRate = int(flag, 1);
        break;
      case '--soak-delay-ms':
        o.soakDelayMs = int(flag, 0);
        // The simulator's own limit (POST /ssc/control).
        if (o.soakDelayMs > 120_000) throw new Error('--soak-delay-ms: at most 120000');
        break;
      case '--seed':
        o.seed = int(flag, 0);
        break;
      case '--durable':
        o.durable = true;
        break;
      case '--no-durable':
        o.durable = false;
        break;
      case '--results-dir':
        o.resultsDir = value(flag);
        break;
      case '--label':
        o.label = value(flag);
        break;
      case '--no-readme':
        o.updateReadme = false;
        break;
      case '--profile':
        o.profile = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  o.scenarios = SCENARIOS.filter((s) => o.scenarios.includes(s) && !skip.has(s));
  return o;
}
