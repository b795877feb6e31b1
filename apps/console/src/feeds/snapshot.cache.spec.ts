import { LagHistory } from './lag-history';
import { SnapshotCache } from './snapshot.cache';

describe('snapshot cache', () => {
  it('computes once per interval and shares the computation in flight', async () => {
    let now = 0;
    let calls = 0;
    const cache = new SnapshotCache(
      2000,
      async () => ++calls,
      () => now,
    );
    expect(await Promise.all([cache.get(), cache.get()])).toEqual([1, 1]);
    now = 1999;
    expect(await cache.get()).toBe(1);
    now = 2001;
    expect(await cache.get()).toBe(2);
    cache.invalidate();
    expect(await cache.get()).toBe(3);
  });

  it('does not keep a failure', async () => {
    let fail = true;
    const cache = new SnapshotCache(10_000, async () => {
      if (fail) throw new Error('db down');
      return 'ok';
    });
    await expect(cache.get()).rejects.toThrow('db down');
    fail = false;
    await expect(cache.get()).resolves.toBe('ok');
  });
});

describe('lag history', () => {
  it('keeps spaced samples and gives the per-bucket maximum for the feeds asked for', () => {
    const history = new LagHistory(3_600_000, 10_000);
    history.add(
      0,
      new Map([
        ['coventry.finance', 5],
        ['solihull.finance', 1],
      ]),
    );
    history.add(5_000, new Map([['coventry.finance', 500]])); // too close to the last sample: dropped
    history.add(
      20_000,
      new Map([
        ['coventry.finance', 7],
        ['solihull.finance', 2],
      ]),
    );
    history.add(70_000, new Map([['coventry.finance', 3]]));
    expect(history.series(0, 60_000, 3, () => true)).toEqual([9, 3, null]);
    expect(history.series(0, 60_000, 3, (k) => k.startsWith('solihull.'))).toEqual([2, 0, null]);
  });
});
