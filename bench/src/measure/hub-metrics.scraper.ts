/** Prometheus text from an app's /metrics, as `name{labels}` → value. */
export type MetricsSnapshot = Map<string, number>;

/** Fetches and parses an app's /metrics; an empty snapshot if the app does not answer. */
export async function scrapeMetrics(baseUrl: string | undefined): Promise<MetricsSnapshot> {
  const out: MetricsSnapshot = new Map();
  if (!baseUrl) return out;
  try {
    const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      const value = Number(line.slice(space + 1));
      if (!Number.isNaN(value)) out.set(line.slice(0, space), value);
    }
  } catch {
    // app gone or busy; callers treat missing numbers as unknown
  }
  return out;
}

/** Sum of every series of a metric (all label sets), optionally only those whose labels contain `labelFilter`. */
export function metricSum(snapshot: MetricsSnapshot, name: string, labelFilter = ''): number {
  let sum = 0;
  for (const [key, value] of snapshot) {
    const brace = key.indexOf('{');
    const metric = brace < 0 ? key : key.slice(0, brace);
    if (metric === name && key.includes(labelFilter)) sum += value;
  }
  return sum;
}

/** What one app's batch loop did between two snapshots. */
export interface BatchActivity {
  batches: number;
  /** Seconds spent processing and committing batches (hub_batch_duration_seconds_sum). */
  busySeconds: number;
  meanBatchMs: number | undefined;
  /** busySeconds / wall time: near 100% means this stage's single batch loop is saturated. */
  busyPercent: number | undefined;
  records: number;
  meanRecordsPerBatch: number | undefined;
  failures: number;
  eventLoopLagP99Ms: number | undefined;
  /** Kafka transactions committed (transactional apps). */
  transactions?: number;
  /** Mean ms per transaction in each phase (hub_transaction_phase_seconds): handle, produce, offsets, commit. */
  transactionPhasesMs?: Record<string, number>;
  /** The ingest: mean ms of its audit-log lookup (hub_ingest_history_lookup_seconds), part of `handle`. */
  historyLookupMs?: number;
  /** Requests the app's Kafka clients sent (hub_kafka_requests_total), by `client API`, e.g. `producer EndTxn`. */
  kafkaRequests?: Record<string, number>;
}

/** Per `client API`, how many requests hub_kafka_requests_total grew by between two snapshots. */
export function kafkaRequestsBetween(
  before: MetricsSnapshot,
  after: MetricsSnapshot,
): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const [key, value] of after) {
    if (!key.startsWith('hub_kafka_requests_total{')) continue;
    const client = /client="([^"]*)"/.exec(key)?.[1];
    const api = /api="([^"]*)"/.exec(key)?.[1];
    const grown = value - (before.get(key) ?? 0);
    if (client === undefined || api === undefined || grown <= 0) continue;
    out[`${client} ${api}`] = (out[`${client} ${api}`] ?? 0) + grown;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const PHASES = ['handle', 'produce', 'offsets', 'commit'] as const;

/**
 * Batch activity of an app from hub_batch_duration_seconds (and the app's record counter), between two
 * snapshots taken `wallSeconds` apart.
 */
export function batchActivity(
  before: MetricsSnapshot,
  after: MetricsSnapshot,
  recordMetric: string,
  wallSeconds: number,
): BatchActivity {
  const d = (name: string) => metricSum(after, name) - metricSum(before, name);
  const batches = d('hub_batch_duration_seconds_count');
  const busySeconds = d('hub_batch_duration_seconds_sum');
  const records = d(recordMetric);
  const lag = metricSum(after, 'nodejs_eventloop_lag_p99_seconds');
  const transactions = d('hub_transaction_partitions_count');
  const phase = (p: string) =>
    metricSum(after, 'hub_transaction_phase_seconds_sum', `phase="${p}"`) -
    metricSum(before, 'hub_transaction_phase_seconds_sum', `phase="${p}"`);
  const transactionPhasesMs =
    transactions > 0
      ? Object.fromEntries(PHASES.map((p) => [p, (phase(p) / transactions) * 1000]))
      : undefined;
  const lookups = d('hub_ingest_history_lookup_seconds_count');
  return {
    kafkaRequests: kafkaRequestsBetween(before, after),
    historyLookupMs: lookups > 0 ? (d('hub_ingest_history_lookup_seconds_sum') / lookups) * 1000 : undefined,
    batches,
    busySeconds,
    meanBatchMs: batches > 0 ? (busySeconds / batches) * 1000 : undefined,
    busyPercent: wallSeconds > 0 ? (busySeconds / wallSeconds) * 100 : undefined,
    records,
    meanRecordsPerBatch: batches > 0 ? records / batches : undefined,
    failures: d('hub_batch_failures_total'),
    eventLoopLagP99Ms: lag > 0 ? lag * 1000 : undefined,
    transactions: transactions > 0 ? transactions : undefined,
    transactionPhasesMs,
  };
}
