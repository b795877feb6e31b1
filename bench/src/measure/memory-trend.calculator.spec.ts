import { memoryTable } from '../report/markdown-tables';
import { MIN_SETTLED_MS, memoryTrends, memoryVerdict } from './memory-trend.calculator';
import type { ProcessSample } from './process-stats.sampler';

const T0 = 1_000_000;
const SECOND = 1_000;

/** One sample per second for `seconds`, RSS from `rssAt(second)`. */
function series(seconds: number, rssAt: (s: number) => number): ProcessSample[] {
  return Array.from({ length: seconds }, (_, s) => ({
    t: T0 + s * SECOND,
    rssMb: rssAt(s),
    hwmMb: rssAt(s),
    cpuSeconds: 0,
  }));
}

function samplerOf(byName: Record<string, ProcessSample[]>) {
  return {
    names: () => Object.keys(byName),
    samples: (name: string, fromMs = 0, toMs = Number.POSITIVE_INFINITY) =>
      (byName[name] ?? []).filter((s) => s.t >= fromMs && s.t <= toMs),
  };
}

// Rises 200 → 400 MB over the first 100 s as a bounded cache fills, then holds.
const fillsThenHolds = (s: number) => (s < 100 ? 200 + 2 * s : 400);
// Never stops rising: a leak.
const leaks = (s: number) => 200 + s;

describe('memoryTrends', () => {
  it('judges a process without a bounded cache over the whole window', () => {
    const trends = memoryTrends(samplerOf({ router: series(300, () => 190) }), T0, T0 + 300 * SECOND);
    expect(trends.router).toMatchObject({ verdict: 'flat', flat: true, growthPercent: 0 });
    expect(trends.router!.judgedFromSeconds).toBeUndefined();
  });

  it('calls a leak growing', () => {
    const trends = memoryTrends(samplerOf({ router: series(300, leaks) }), T0, T0 + 300 * SECOND);
    expect(trends.router).toMatchObject({ verdict: 'growing', flat: false });
  });

  it('judges a process with a bounded cache only from when the cache was full', () => {
    const sampler = samplerOf({ ingest: series(300, fillsThenHolds) });
    const whole = memoryTrends(sampler, T0, T0 + 300 * SECOND);
    expect(whole.ingest!.verdict).toBe('growing'); // the fill alone, judged over the whole run

    const trends = memoryTrends(sampler, T0, T0 + 300 * SECOND, {
      caches: { ingest: { entries: 200_000, capacity: 200_000, fullAtMs: T0 + 100 * SECOND } },
    });
    expect(trends.ingest).toMatchObject({
      verdict: 'flat',
      growthPercent: 0,
      judgedFromSeconds: 100,
      boundedCache: { entries: 200_000, capacity: 200_000 },
    });
  });

  it('still catches a leak once the bounded cache is full', () => {
    const trends = memoryTrends(samplerOf({ ingest: series(300, leaks) }), T0, T0 + 300 * SECOND, {
      caches: { ingest: { entries: 200_000, capacity: 200_000, fullAtMs: T0 + 100 * SECOND } },
    });
    expect(trends.ingest!.verdict).toBe('growing');
  });

  it('reports the live heap (the lowest heap in use) of the first and last third beside RSS', () => {
    // A GC sawtooth: heap in use climbs from a floor of 60 MB to 180 MB and drops back, every 10 s.
    const heap = Array.from({ length: 150 }, (_, i) => ({
      t: T0 + i * 2 * SECOND,
      heapUsedMb: 60 + ((i * 2) % 10) * 12,
    }));
    const trends = memoryTrends(samplerOf({ router: series(300, leaks) }), T0, T0 + 300 * SECOND, {
      heap: { router: heap },
    });
    expect(trends.router).toMatchObject({
      verdict: 'growing',
      liveHeapMb: { firstThird: 60, lastThird: 60 },
    });
    expect(
      memoryTrends(samplerOf({ router: series(300, leaks) }), T0, T0 + 300 * SECOND).router!.liveHeapMb,
    ).toBeUndefined();
  });

  it('reports external memory (Buffers) beside the live heap: a level heap with growing Buffers is not V8 sizing', () => {
    // Heap level at 30 MB; external memory climbs from 10 to 40 MB with a sawtooth on top.
    const heap = Array.from({ length: 150 }, (_, i) => ({
      t: T0 + i * 2 * SECOND,
      heapUsedMb: 30 + (i % 5),
      externalMb: 10 + i * 0.2 + (i % 3),
    }));
    const trends = memoryTrends(samplerOf({ delivery: series(300, leaks) }), T0, T0 + 300 * SECOND, {
      heap: { delivery: heap },
    });
    expect(trends.delivery).toMatchObject({
      liveHeapMb: { firstThird: 30, lastThird: 30 },
      externalMb: { firstThird: 10, lastThird: 30 },
    });
    expect(memoryTable(trends)).toContain('| 30 → 30 | - | 10 → 30 |');
    // Readings without external memory (an older app) leave it out rather than report zero.
    const noExternal = memoryTrends(samplerOf({ router: series(300, leaks) }), T0, T0 + 300 * SECOND, {
      heap: { router: heap.map(({ t, heapUsedMb }) => ({ t, heapUsedMb })) },
    });
    expect(noExternal.router!.externalMb).toBeUndefined();
  });

  it('reports the mean V8 heap committed beside the live heap: room V8 keeps grows while live objects stay level', () => {
    // Heap in use level at 30 MB with a sawtooth; committed heap steps from 40 to 70 MB half-way.
    const heap = Array.from({ length: 150 }, (_, i) => ({
      t: T0 + i * 2 * SECOND,
      heapUsedMb: 30 + (i % 5),
      heapTotalMb: i < 75 ? 40 : 70,
    }));
    const trends = memoryTrends(samplerOf({ delivery: series(300, leaks) }), T0, T0 + 300 * SECOND, {
      heap: { delivery: heap },
    });
    expect(trends.delivery).toMatchObject({
      liveHeapMb: { firstThird: 30, lastThird: 30 },
      heapCommittedMb: { firstThird: 40, lastThird: 70 },
    });
    expect(memoryTable(trends)).toContain('| 30 → 30 | 40 → 70 | - |');
    // Readings without it (an older app, or before this was read) leave it out rather than report zero.
    const older = memoryTrends(samplerOf({ router: series(300, leaks) }), T0, T0 + 300 * SECOND, {
      heap: { router: heap.map(({ t, heapUsedMb }) => ({ t, heapUsedMb })) },
    });
    expect(older.router!.heapCommittedMb).toBeUndefined();
  });

  it('does not judge a process whose cache is still filling, or was full for too short a time', () => {
    const sampler = samplerOf({ ingest: series(300, fillsThenHolds) });
    const filling = memoryTrends(sampler, T0, T0 + 300 * SECOND, {
      caches: { ingest: { entries: 80_000, capacity: 200_000 } },
    });
    expect(filling.ingest).toMatchObject({ verdict: 'filling', flat: false });
    const lateFull = memoryTrends(sampler, T0, T0 + 300 * SECOND, {
      caches: {
        ingest: {
          entries: 200_000,
          capacity: 200_000,
          fullAtMs: T0 + 300 * SECOND - MIN_SETTLED_MS + SECOND,
        },
      },
    });
    expect(lateFull.ingest!.verdict).toBe('filling');
  });
});

describe('memoryVerdict', () => {
  const window = (byName: Record<string, ProcessSample[]>, full?: number) =>
    Object.entries(
      memoryTrends(
        samplerOf(byName),
        T0,
        T0 + 300 * SECOND,
        full === undefined
          ? {}
          : { caches: { ingest: { entries: 10, capacity: 10, fullAtMs: T0 + full * SECOND } } },
      ),
    );

  it('is met when every process is flat', () => {
    const v = memoryVerdict(
      window({ router: series(300, () => 190), ingest: series(300, fillsThenHolds) }, 100),
    );
    expect(v.status).toBe('met');
    expect(v.value).toBe('router +0%, ingest +0% once its bounded cache was full (from 100 s)');
  });

  it('is not met when any process grows', () => {
    expect(memoryVerdict(window({ router: series(300, leaks), ingest: series(300, () => 300) })).status).toBe(
      'not met',
    );
  });

  it('is not judged (n/a) while a bounded cache is still filling and nothing else grows', () => {
    const trends = Object.entries(
      memoryTrends(
        samplerOf({ router: series(300, () => 190), ingest: series(300, fillsThenHolds) }),
        T0,
        T0 + 300 * SECOND,
        { caches: { ingest: { entries: 50, capacity: 200 } } },
      ),
    );
    const v = memoryVerdict(trends);
    expect(v.status).toBe('n/a');
    expect(v.value).toContain('ingest +');
    expect(v.value).toContain('while filling its bounded cache (25% full; not judged)');
  });

  it('reads results stored before verdicts existed by their flat flag', () => {
    const old = { firstThirdMb: 1, lastThirdMb: 2, growthPercent: 100, peakMb: 2, flat: false };
    expect(memoryVerdict([['ingest', old as never]]).status).toBe('not met');
  });
});
