import os from 'node:os';
import type { ProcessSample } from './process-stats.sampler';
import { round } from './throughput-series.builder';

/**
 * CPU time spent per record by the processes of a run (apps or baseline hops, Kafka, Postgres; not the
 * bench itself, which is the load generator). Unlike records/s, this barely moves when other tenants of a
 * shared machine steal CPU, so it compares runs made at different loads.
 */
export interface CpuCost {
  /** `jitMsPerRecord`: of `msPerRecord`, a JVM's JIT compiler threads (the broker's, while it warms up). */
  perProcess: Record<string, { cpuSeconds: number; msPerRecord: number; jitMsPerRecord?: number }>;
  totalMsPerRecord: number;
  /** cores × 1000 / totalMsPerRecord: the rate if these processes had every core to themselves and were CPU-bound. */
  cpuBoundRecordsPerSecond: number;
}

/** CPU cost between two sampler readings for `records` records, leaving out `exclude`. */
export function cpuCost(
  before: ReadonlyMap<string, ProcessSample>,
  after: ReadonlyMap<string, ProcessSample>,
  records: number,
  include: (name: string) => boolean,
): CpuCost {
  const perProcess: CpuCost['perProcess'] = {};
  let total = 0;
  for (const [name, sample] of after) {
    const start = before.get(name);
    if (!include(name)) continue;
    // A process started during the run (ingest) counts from zero.
    const seconds = Math.max(0, sample.cpuSeconds - (start?.cpuSeconds ?? 0));
    if (seconds <= 0) continue;
    perProcess[name] = {
      cpuSeconds: round(seconds, 2),
      msPerRecord: round((seconds * 1000) / Math.max(1, records), 3),
    };
    if (sample.jitCpuSeconds !== undefined) {
      const jitSeconds = Math.max(0, sample.jitCpuSeconds - (start?.jitCpuSeconds ?? 0));
      perProcess[name].jitMsPerRecord = round((jitSeconds * 1000) / Math.max(1, records), 3);
    }
    total += seconds;
  }
  const totalMsPerRecord = (total * 1000) / Math.max(1, records);
  return {
    perProcess,
    totalMsPerRecord: round(totalMsPerRecord, 3),
    cpuBoundRecordsPerSecond:
      totalMsPerRecord > 0 ? round((os.cpus().length * 1000) / totalMsPerRecord, 0) : 0,
  };
}
