import type { ThroughputSeries } from '../report/bench-results.model';

/**
 * Turns per-second counts (keyed by epoch second) into a series from the scenario's clock start, with
 * zero-filled gaps, up to `endMs`.
 */
export function buildSeries(
  label: string,
  perSecond: ReadonlyMap<number, number>,
  startMs: number,
  endMs: number,
): ThroughputSeries {
  const first = Math.floor(startMs / 1000);
  const last = Math.max(first, Math.floor(endMs / 1000));
  const points: ThroughputSeries['points'] = [];
  for (let s = first; s <= last; s++) points.push({ t: s - first, perSecond: perSecond.get(s) ?? 0 });
  return { label, points };
}

/** Round to `digits` decimals (for results). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Percentile of a sorted list (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
