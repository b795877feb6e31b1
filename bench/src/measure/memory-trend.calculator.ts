import type { MemoryTrend } from '../report/bench-results.model';
import type { ProcessStatsSampler } from './process-stats.sampler';
import { round } from './throughput-series.builder';

/** RSS growth from the first to the last third of a sustained run above which memory is "not flat". */
export const FLAT_MEMORY_GROWTH_PERCENT = 10;

/**
 * Is memory flat over a sustained run? For each sampled process (but the bench itself and Postgres, whose
 * shared buffers count once per backend): mean RSS of the first third of the samples between `fromMs`
 * and `toMs` against the last third, and the highest sample. Means over thirds, not
 * single samples, so one garbage collection early or late does not decide it.
 */
export function memoryTrends(
  sampler: ProcessStatsSampler,
  fromMs: number,
  toMs: number,
): Record<string, MemoryTrend> {
  const out: Record<string, MemoryTrend> = {};
  for (const name of sampler.names()) {
    if (name === 'bench' || name === 'postgres') continue;
    const samples = sampler.samples(name, fromMs, toMs);
    if (samples.length < 6) continue;
    const third = Math.floor(samples.length / 3);
    const mean = (list: typeof samples) => list.reduce((a, s) => a + s.rssMb, 0) / list.length;
    const first = mean(samples.slice(0, third));
    const last = mean(samples.slice(-third));
    const growth = ((last - first) / first) * 100;
    out[name] = {
      firstThirdMb: round(first, 0),
      lastThirdMb: round(last, 0),
      growthPercent: round(growth, 1),
      peakMb: round(Math.max(...samples.map((s) => s.rssMb)), 0),
      flat: growth <= FLAT_MEMORY_GROWTH_PERCENT,
    };
  }
  return out;
}

/**
 * Peak resident memory of each process as the kernel kept it (VmHWM, which no 500 ms sampling can miss),
 * highest value seen in the window: for processes started for the run, their peak over their whole life.
 */
export function peakHwmMb(
  sampler: ProcessStatsSampler,
  fromMs: number,
  toMs: number,
  include: (name: string) => boolean,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of sampler.names()) {
    if (!include(name)) continue;
    const samples = sampler.samples(name, fromMs, toMs);
    if (samples.length > 0) out[name] = round(Math.max(...samples.map((s) => s.hwmMb)), 0);
  }
  return out;
}

/**
 * Mean RSS of each process per `sliceMs` slice of the window, MB: the shape behind a growth figure (a
 * warm-up step early on, then level, reads differently from a steady climb that would not stop).
 */
export function rssTimeline(
  sampler: ProcessStatsSampler,
  fromMs: number,
  toMs: number,
  sliceMs: number,
  include: (name: string) => boolean,
): Record<string, Array<number | null>> {
  const out: Record<string, Array<number | null>> = {};
  const slices = Math.max(1, Math.ceil((toMs - fromMs) / sliceMs));
  for (const name of sampler.names()) {
    if (!include(name)) continue;
    const sums = new Array<number>(slices).fill(0);
    const counts = new Array<number>(slices).fill(0);
    for (const s of sampler.samples(name, fromMs, toMs)) {
      const i = Math.min(slices - 1, Math.floor((s.t - fromMs) / sliceMs));
      sums[i]! += s.rssMb;
      counts[i]! += 1;
    }
    if (counts.some((c) => c > 0))
      out[name] = sums.map((sum, i) => (counts[i] ? round(sum / counts[i]!, 0) : null));
  }
  return out;
}
