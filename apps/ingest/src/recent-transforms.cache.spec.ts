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

  it('remembers rejections by revision and payload hash, keeping the first (the dead letter to point at)', () => {
    const recent = new RecentTransforms(10);
    const rejection = (sha: string, eventId: string) => ({
      revision: 'r1',
      payloadSha256: sha,
      code: 'X',
      eventId,
    });
    recent.remember([], [rejection('aaa', 'first'), rejection('aaa', 'replay'), rejection('bbb', 'other')]);
    expect(recent.rejectionOf('r1', 'aaa')?.eventId).toBe('first');
    expect(recent.rejectionOf('r1', 'bbb')?.eventId).toBe('other');
    expect(recent.rejectionOf('r1', 'ccc')).toBeUndefined();
    expect(recent.rejectionOf('r2', 'aaa')).toBeUndefined();
    expect(recent.canonicalIdOf('r1')).toBeUndefined();
  });

  it('forgets the oldest rejections beyond its capacity', () => {
    const recent = new RecentTransforms(2);
    const rejections = [1, 2, 3].map((n) => ({
      revision: `r${n}`,
      payloadSha256: 's',
      code: 'X',
      eventId: `e${n}`,
    }));
    recent.remember([], rejections);
    expect(recent.rejectionCount).toBe(2);
    expect(recent.rejectionOf('r1', 's')).toBeUndefined();
    expect(recent.rejectionOf('r3', 's')?.eventId).toBe('e3');
  });
});
