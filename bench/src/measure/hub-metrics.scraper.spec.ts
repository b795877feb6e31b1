import { kafkaRequestTable } from '../report/markdown-tables';
import { MetricsSnapshot, batchActivity, kafkaRequestsBetween, metricSum } from './hub-metrics.scraper';

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

describe('kafkaRequestsBetween', () => {
  it('counts the requests sent between two snapshots by client and API, leaving out those that did not grow', () => {
    const before = snapshot({
      'hub_kafka_requests_total{stage="router",client="consumer",api="Fetch",app="router"}': 100,
      'hub_kafka_requests_total{stage="router",client="producer",api="EndTxn",app="router"}': 7,
      'hub_kafka_requests_total{stage="router",client="admin",api="Metadata",app="router"}': 3,
    });
    const after = snapshot({
      'hub_kafka_requests_total{stage="router",client="consumer",api="Fetch",app="router"}': 160,
      'hub_kafka_requests_total{stage="router",client="producer",api="EndTxn",app="router"}': 17,
      'hub_kafka_requests_total{stage="router",client="producer",api="Produce",app="router"}': 12,
      'hub_kafka_requests_total{stage="router",client="admin",api="Metadata",app="router"}': 3,
      'hub_batch_duration_seconds_count{stage="router",app="router"}': 5,
    });
    expect(kafkaRequestsBetween(before, after)).toEqual({
      'consumer Fetch': 60,
      'producer EndTxn': 10,
      'producer Produce': 12,
    });
    expect(kafkaRequestsBetween(after, after)).toBeUndefined();
  });

  it('tables them per app, in all and per 1,000 records, most frequent API first', () => {
    const table = kafkaRequestTable({
      router: {
        records: 2_000,
        kafkaRequests: { 'producer EndTxn': 10, 'consumer Fetch': 60, 'producer Produce': 12 },
      },
      kafka: { cpuPercent: 30 },
    });
    expect(table).toContain(
      '| router | 82 | 41 | consumer Fetch 60, producer Produce 12, producer EndTxn 10 |',
    );
    expect(table).not.toContain('| kafka |');
    expect(kafkaRequestTable({ kafka: { cpuPercent: 30 } })).toBeUndefined();
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
