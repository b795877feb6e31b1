import type { MemoryTrend } from '../report/bench-results.model';
import type { AppMemoryReadings, HeapSample } from './app-memory.watcher';
import type { ProcessStatsSampler } from './process-stats.sampler';
import { round } from './throughput-series.builder';

/** RSS growth from the first to the last third of a sustained run above which memory is "not flat". */
export const FLAT_MEMORY_GROWTH_PERCENT = 10;

/**
 * Least time a process must run with its bounded caches full for its memory to be judged. Before that its
 * RSS rises by design (the ingest's recent-outcome maps fill to their bound) and says nothing about leaks.
 */
export const MIN_SETTLED_MS = 60_000;

/**
 * Is memory flat over a sustained run? For each sampled process (but the bench itself and Postgres, whose
 * shared buffers count once per backend): mean RSS of the first third of the samples between `fromMs`
 * and `toMs` against the last third, and the highest sample. Means over thirds, not
 * single samples, so one garbage collection early or late does not decide it.
 *
 * A process with a bounded cache (`readings.caches`, from AppMemoryWatcher: the ingest) is judged only over
 * the part of the window after that cache was full, and only if that part lasts {@link MIN_SETTLED_MS}:
 * otherwise its verdict is `filling`, neither flat nor growing. A leak keeps growing after every bound is
 * reached; a filling cache stops.
 *
 * With heap readings (`readings.heap`), each app's live heap is reported beside its RSS: the lowest heap in
 * use in the first and the last third of the same window, i.e. what survived the garbage collections there.
 * It does not change the verdict (the target is about RSS); it says whether a growing RSS is a leak. The same
 * for external memory (Buffers), which RSS holds outside the V8 heap.
 */
export function memoryTrends(
  sampler: Pick<ProcessStatsSampler, 'names' | 'samples'>,
  fromMs: number,
  toMs: number,
  readings: Partial<AppMemoryReadings> = {},
): Record<string, MemoryTrend> {
  const out: Record<string, MemoryTrend> = {};
  const caches = readings.caches ?? {};
  for (const name of sampler.names()) {
    if (name === 'bench' || name === 'postgres') continue;
    const cache = caches[name];
    const judgedFrom = cache?.fullAtMs === undefined ? fromMs : Math.max(fromMs, cache.fullAtMs);
    const settled =
      cache === undefined || (cache.fullAtMs !== undefined && toMs - judgedFrom >= MIN_SETTLED_MS);
    const windowFrom = settled ? judgedFrom : fromMs;
    const trend = trendOf(sampler.samples(name, windowFrom, toMs));
    if (!trend) continue;
    const liveHeap = thirdsOf(readings.heap?.[name], windowFrom, toMs, (s) => s.heapUsedMb, lowest);
    const external = thirdsOf(readings.heap?.[name], windowFrom, toMs, (s) => s.externalMb, lowest);
    const committed = thirdsOf(readings.heap?.[name], windowFrom, toMs, (s) => s.heapTotalMb, mean);
    const flat = trend.growthPercent <= FLAT_MEMORY_GROWTH_PERCENT;
    out[name] = {
      ...trend,
      flat: settled && flat,
      verdict: !settled ? 'filling' : flat ? 'flat' : 'growing',
      ...(liveHeap ? { liveHeapMb: liveHeap } : {}),
      ...(external ? { externalMb: external } : {}),
      ...(committed ? { heapCommittedMb: committed } : {}),
      ...(cache
        ? {
            boundedCache: { entries: cache.entries, capacity: cache.capacity },
            judgedFromSeconds: settled ? round((judgedFrom - fromMs) / 1000, 0) : undefined,
          }
        : {}),
    };
  }
  return out;
}

/**
 * One reading per third of the window: `reduce` over the first and the last third of the readings that have
 * `value`, MB (at least 6 readings). Floors (the lowest heap in use, external memory) are what survived the
 * garbage collections there; means (V8's committed heap) are what RSS holds whether or not it is in use.
 */
function thirdsOf(
  samples: readonly HeapSample[] | undefined,
  fromMs: number,
  toMs: number,
  value: (sample: HeapSample) => number | undefined,
  reduce: (values: readonly number[]) => number,
): { firstThird: number; lastThird: number } | undefined {
  const values = (samples ?? [])
    .filter((s) => s.t >= fromMs && s.t <= toMs)
    .map(value)
    .filter((v): v is number => v !== undefined);
  if (values.length < 6) return undefined;
  const third = Math.floor(values.length / 3);
  return {
    firstThird: round(reduce(values.slice(0, third)), 0),
    lastThird: round(reduce(values.slice(-third)), 0),
  };
}

const lowest = (values: readonly number[]): number => Math.min(...values);
const mean = (values: readonly number[]): number => values.reduce((a, v) => a + v, 0) / values.length;

function trendOf(
  samples: ReadonlyArray<{ rssMb: number }>,
): Pick<MemoryTrend, 'firstThirdMb' | 'lastThirdMb' | 'growthPercent' | 'peakMb'> | undefined {
  if (samples.length < 6) return undefined;
  const third = Math.floor(samples.length / 3);
  const mean = (list: typeof samples) => list.reduce((a, s) => a + s.rssMb, 0) / list.length;
  const first = mean(samples.slice(0, third));
  const last = mean(samples.slice(-third));
  return {
    firstThirdMb: round(first, 0),
    lastThirdMb: round(last, 0),
    growthPercent: round(((last - first) / first) * 100, 1),
    peakMb: round(Math.max(...samples.map((s) => s.rssMb)), 0),
  };
}

/**
 * The memory target over a set of trends, as THE table shows it: met when every process is flat, not met
 * when any grows, n/a when none grows but some were still filling a bounded cache (run longer or faster:
 * `--only soak --soak-rate 800 --soak-duration 600`).
 */
export function memoryVerdict(trends: ReadonlyArray<[string, MemoryTrend]>): {
  value: string;
  status: 'met' | 'not met' | 'n/a';
} {
  const value = trends.map(([name, t]) => `${name} ${describeTrend(t)}`).join(', ');
  if (trends.length === 0) return { value, status: 'n/a' };
  if (trends.some(([, t]) => verdictOf(t) === 'growing')) return { value, status: 'not met' };
  return { value, status: trends.every(([, t]) => verdictOf(t) === 'flat') ? 'met' : 'n/a' };
}

/** A trend's verdict; results stored before verdicts existed have only `flat`. */
export function verdictOf(t: MemoryTrend): MemoryTrend['verdict'] {
  return t.verdict ?? (t.flat ? 'flat' : 'growing');
}

/** `+2.4%`, `+2.4% once its bounded cache was full (from 250 s)` or `filling its bounded cache (38%)`. */
export function describeTrend(t: MemoryTrend): string {
  const growth = `${t.growthPercent >= 0 ? '+' : ''}${t.growthPercent.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
  if (verdictOf(t) === 'filling') {
    const share = t.boundedCache ? Math.round((t.boundedCache.entries / t.boundedCache.capacity) * 100) : 0;
    return `${growth} while filling its bounded cache (${share}% full; not judged)`;
  }
  if (t.judgedFromSeconds !== undefined)
    return `${growth} once its bounded cache was full (from ${t.judgedFromSeconds} s)`;
  return growth;
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
