import { MetricsSnapshot, batchActivity, metricSum } from './hub-metrics.scraper';

const snapshot = (entries: Record<string, number>): MetricsSnapshot => new Map(Object.entries(entries));

describe('batchActivity', () => {
  const before = snapshot({
    'hub_batch_duration_seconds_count{stage="ingest",app="ingest"}': 10,
    'hub_batch_duration_seconds_sum{stage="ingest",app="ingest"}': 1,
    'hub_transaction_partitions_count{stage="ingest",app="ingest"}': 4,
    'hub_transaction_phase_seconds_sum{stage="ingest",phase="handle",app="ingest"}': 0.4,
    'hub_transaction_phase_seconds_sum{stage="ingest",phase="produce",app="ingest"}': 0.2,
    'hub_ingest_history_lookup_seconds_count{app="ingest"}': 4,
    'hub_ingest_history_lookup_seconds_sum{app="ingest"}': 0.04,
    'hub_records_received_total{council="a",app="ingest"}': 100,
  });
  const after = snapshot({
    'hub_batch_duration_seconds_count{stage="ingest",app="ingest"}': 30,
    'hub_batch_duration_seconds_sum{stage="ingest",app="ingest"}': 3,
    'hub_transaction_partitions_count{stage="ingest",app="ingest"}': 14,
    'hub_transaction_phase_seconds_sum{stage="ingest",phase="handle",app="ingest"}': 0.9,
    'hub_transaction_phase_seconds_sum{stage="ingest",phase="produce",app="ingest"}': 0.4,
    'hub_transaction_phase_seconds_sum{stage="ingest",phase="offsets",app="ingest"}': 0.1,
    'hub_transaction_phase_seconds_sum{stage="ingest",phase="commit",app="ingest"}': 0.05,
    'hub_ingest_history_lookup_seconds_count{app="ingest"}': 14,
    'hub_ingest_history_lookup_seconds_sum{app="ingest"}': 0.14,
    'hub_records_received_total{council="a",app="ingest"}': 400,
    'nodejs_eventloop_lag_p99_seconds{app="ingest"}': 0.02,
  });

  it('reports batches, records and the mean time of each transaction phase between two snapshots', () => {
    const a = batchActivity(before, after, 'hub_records_received_total', 10);
    expect(a).toMatchObject({
      batches: 20,
      busySeconds: 2,
      meanBatchMs: 100,
      busyPercent: 20,
      records: 300,
      meanRecordsPerBatch: 15,
      transactions: 10,
      eventLoopLagP99Ms: 20,
    });
    expect(a.transactionPhasesMs!.handle).toBeCloseTo(50);
    expect(a.transactionPhasesMs!.produce).toBeCloseTo(20);
    expect(a.transactionPhasesMs!.offsets).toBeCloseTo(10);
    expect(a.transactionPhasesMs!.commit).toBeCloseTo(5);
    expect(a.historyLookupMs).toBeCloseTo(10);
  });

  it('leaves transaction figures out for an app that commits none (the audit writer)', () => {
    const a = batchActivity(snapshot({}), snapshot({ 'hub_batch_duration_seconds_count{}': 3 }), '', 1);
    expect(a.transactions).toBeUndefined();
    expect(a.transactionPhasesMs).toBeUndefined();
    expect(a.historyLookupMs).toBeUndefined();
  });
});

describe('metricSum', () => {
  it('sums every label set of one metric, not of metrics whose names it prefixes', () => {
    const s = snapshot({
      'hub_ingest_recent_outcomes{map="transformed"}': 5,
      'hub_ingest_recent_outcomes{map="newest"}': 2,
      hub_ingest_recent_outcomes_capacity: 10,
    });
    expect(metricSum(s, 'hub_ingest_recent_outcomes')).toBe(7);
    expect(metricSum(s, 'hub_ingest_recent_outcomes', 'map="transformed"')).toBe(5);
    expect(metricSum(s, 'hub_ingest_recent_outcomes_capacity')).toBe(10);
  });
});
