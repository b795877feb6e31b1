import type { MemoryTrend, StageActivity } from './bench-results.model';
import { verdictOf } from '../measure/memory-trend.calculator';

const n = (v: number | undefined, digits = 0): string =>
  v === undefined || Number.isNaN(v) ? '-' : v.toLocaleString('en-GB', { maximumFractionDigits: digits });

/** Batch loop and CPU of each process during a run (apps: /metrics; CPU: /proc). */
export function stageTable(stages: Record<string, StageActivity>): string {
  const lines = [
    '| Process | CPU % of one core | batches | mean batch ms | busy % (batch time / wall) | records per batch | failed batches | event-loop lag p99 ms | transactions | mean ms per transaction: handle (ingest: of which its audit-log lookup) / produce / offsets / commit |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, s] of Object.entries(stages)) {
    const p = s.transactionPhasesMs;
    const lookup = s.historyLookupMs === undefined ? '' : ` (lookup ${n(s.historyLookupMs, 1)})`;
    const phases = p
      ? `${n(p.handle, 1)}${lookup} / ${n(p.produce, 1)} / ${n(p.offsets, 1)} / ${n(p.commit, 1)}`
      : '-';
    lines.push(
      `| ${name} | ${n(s.cpuPercent)} | ${n(s.batches)} | ${n(s.meanBatchMs, 1)} | ${n(s.busyPercent)} | ${n(s.meanRecordsPerBatch)} | ${n(s.failures)} | ${n(s.eventLoopLagP99Ms, 1)} | ${n(s.transactions)} | ${phases} |`,
    );
  }
  const requests = kafkaRequestTable(stages);
  return requests ? `${lines.join('\n')}\n\n${requests}` : lines.join('\n');
}

/**
 * Requests each app sent to Kafka (hub_kafka_requests_total), in all and per 1,000 of the records it
 * processed, with the APIs that make them up, most first: what each record costs the broker.
 */
export function kafkaRequestTable(stages: Record<string, StageActivity>): string | undefined {
  const rows = Object.entries(stages).filter(([, s]) => s.kafkaRequests !== undefined);
  if (rows.length === 0) return undefined;
  const lines = [
    'Kafka requests sent by each app (hub_kafka_requests_total):',
    '',
    '| Process | requests | per 1,000 records | by client and API, most first |',
    '|---|---|---|---|',
  ];
  for (const [name, s] of rows) {
    const byApi = Object.entries(s.kafkaRequests!).sort((a, b) => b[1] - a[1]);
    const total = byApi.reduce((sum, [, count]) => sum + count, 0);
    const per1000 = s.records ? (total / s.records) * 1000 : undefined;
    lines.push(
      `| ${name} | ${n(total)} | ${n(per1000, 1)} | ${byApi.map(([api, count]) => `${api} ${n(count)}`).join(', ')} |`,
    );
  }
  return lines.join('\n');
}

const VERDICT: Record<MemoryTrend['verdict'], string> = { flat: 'yes', growing: 'no', filling: 'not judged' };

/** Over which part of the run a trend was judged, and how full the app's bounded cache was. */
function judgedOver(t: MemoryTrend): string {
  const cache = t.boundedCache
    ? `; bounded cache ${n(t.boundedCache.entries)} of ${n(t.boundedCache.capacity)}`
    : '';
  if (verdictOf(t) === 'filling') return `not yet: its bounded cache was filling${cache}`;
  if (t.judgedFromSeconds !== undefined)
    return `from ${n(t.judgedFromSeconds)} s, once the cache was full${cache}`;
  return 'whole run';
}

/** RSS of each process over a sustained run: first and last third, growth, peak, flat or not. */
export function memoryTable(memory: Record<string, MemoryTrend>): string {
  const lines = [
    '| Process | first third | last third | growth | peak | flat | judged | live heap, first → last third (MB) | V8 heap committed (MB) | external (Buffers), first → last third (MB) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, t] of Object.entries(memory))
    lines.push(
      `| ${name} | ${n(t.firstThirdMb)} | ${n(t.lastThirdMb)} | ${n(t.growthPercent, 1)}% | ${n(t.peakMb)} | ${VERDICT[verdictOf(t)]} | ${judgedOver(t)} | ${t.liveHeapMb ? `${n(t.liveHeapMb.firstThird)} → ${n(t.liveHeapMb.lastThird)}` : '-'} | ${t.heapCommittedMb ? `${n(t.heapCommittedMb.firstThird)} → ${n(t.heapCommittedMb.lastThird)}` : '-'} | ${t.externalMb ? `${n(t.externalMb.firstThird)} → ${n(t.externalMb.lastThird)}` : '-'} |`,
    );
  return lines.join('\n');
}
