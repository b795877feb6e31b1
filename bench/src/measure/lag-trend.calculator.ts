import type { SoakLagSample } from '../report/bench-results.model';

/** The readings the soak reports: the first, at a third, at two thirds and at the end of the run. */
export function lagPoints(lag: readonly SoakLagSample[]): SoakLagSample[] {
  if (lag.length < 4) return [...lag];
  const at = (fraction: number) => lag[Math.round((lag.length - 1) * fraction)]!;
  return [lag[0]!, at(1 / 3), at(2 / 3), lag[lag.length - 1]!];
}

/**
 * The backlog grew through the run: each of {@link lagPoints} above the one before. Not every reading:
 * a worker's commit (hundreds of records at once when the destination is slow) dips it for a moment.
 */
export function lagGrew(lag: readonly SoakLagSample[]): boolean {
  const points = lagPoints(lag);
  return points.length === 4 && points.every((p, i) => i === 0 || p.waiting > points[i - 1]!.waiting);
}
