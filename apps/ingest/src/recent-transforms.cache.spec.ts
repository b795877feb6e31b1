import { RecentTransforms } from './recent-transforms.cache';

const event = (n: number, canonicalId = `c${n}`, eventTimeMs = n) => ({
  revision: `r${n}`,
  canonicalId,
  eventTime: new Date(eventTimeMs).toISOString(),
  eventTimeMs,
});

describe('RecentTransforms', () => {
  it('forgets the oldest entries beyond its capacity', () => {
    const recent = new RecentTransforms(3);
    recent.remember([event(1), event(2), event(3), event(4)]);
    expect(recent.size).toBe(3);
    expect(recent.canonicalIdOf('r1')).toBeUndefined();
    expect(recent.canonicalIdOf('r4')).toBe('c4');
    expect(recent.newestOf('c1')).toBeUndefined();
  });

  it('keeps the newest event time per canonical record, whatever the order it learns them in', () => {
    const recent = new RecentTransforms(10);
    recent.remember([event(1, 'c', 500), event(2, 'c', 100)]);
    expect(recent.newestOf('c')).toMatchObject({ revision: 'r1', eventTimeMs: 500 });
    recent.remember([event(3, 'c', 500)]);
    expect(recent.newestOf('c')).toMatchObject({ revision: 'r3' });
  });
});
