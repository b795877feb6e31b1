import type { CpuCost } from './cpu-cost.calculator';
import type { RunSpread } from '../report/bench-results.model';

interface Repeatable {
  recordsPerSecond?: number;
  complete: boolean;
  cpu?: CpuCost;
  runs?: RunSpread[];
}

/**
 * The median of several runs of one throughput scenario (by records per second; an incomplete run counts
 * as the slowest), with every run's rate and CPU per record attached as `runs`, in run order. One run is
 * returned as it is.
 */
export function medianRun<T extends Repeatable>(runs: readonly T[]): T {
  if (runs.length === 0) throw new Error('medianRun needs at least one run');
  if (runs.length === 1) return runs[0]!;
  const rate = (r: T) => (r.complete ? (r.recordsPerSecond ?? 0) : -1);
  const sorted = [...runs].sort((a, b) => rate(a) - rate(b));
  // With an even count, the lower of the two middle runs: never flatter the result.
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    ...median,
    runs: runs.map((r) => ({
      recordsPerSecond: r.recordsPerSecond,
      cpuMsPerRecord: r.cpu?.totalMsPerRecord,
    })),
  };
}

/** ` (median of 3: 1,062 / 1,224 / 1,328)`, or '' for a single run. */
export function spreadNote(runs: readonly RunSpread[] | undefined, format: (v: number) => string): string {
  if (!runs || runs.length < 2) return '';
  const rates = runs.map((r) => (r.recordsPerSecond === undefined ? '-' : format(r.recordsPerSecond)));
  return ` (median of ${runs.length}: ${rates.join(' / ')})`;
}
