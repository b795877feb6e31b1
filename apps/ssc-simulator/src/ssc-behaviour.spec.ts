import { SscBehaviour, parseControl } from './ssc-behaviour';

describe('parseControl', () => {
  it('accepts each mode with its options', () => {
    expect(
      parseControl({
        mode: 'fail',
        status: 503,
        retryAfterSeconds: 1,
        forMs: 3000,
        service: 'contact-centre',
      }),
    ).toEqual({
      ok: true,
      value: { mode: 'fail', status: 503, retryAfterSeconds: 1, forMs: 3000, service: 'contact-centre' },
    });
    expect(parseControl({ mode: 'slow', delayMs: 500 })).toEqual({
      ok: true,
      value: { mode: 'slow', delayMs: 500 },
    });
  });

  it('names the field that is wrong', () => {
    expect(parseControl({ mode: 'explode' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('mode'),
    });
    expect(parseControl({ mode: 'reject', status: 503 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('status'),
    });
    expect(parseControl({ mode: 'slow', delayMs: -1 })).toMatchObject({
      ok: false,
      message: expect.stringContaining('delayMs'),
    });
    expect(parseControl({ mode: 'ok', service: 'Not A Service' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('service'),
    });
    expect(parseControl(null)).toMatchObject({ ok: false });
  });
});

describe('SscBehaviour', () => {
  it('answers ok by default, fails with the status and Retry-After it was given, then lapses back after forMs', () => {
    let now = 1_000;
    const behaviour = new SscBehaviour(() => now);
    expect(behaviour.answer('cc')).toEqual({ kind: 'accept', delayMs: 0 });
    behaviour.set({ mode: 'fail', retryAfterSeconds: 2, forMs: 500 });
    expect(behaviour.answer('cc')).toEqual({ kind: 'fail', status: 503, retryAfterSeconds: 2 });
    now += 500;
    expect(behaviour.answer('cc')).toEqual({ kind: 'accept', delayMs: 0 });
  });

  it('lapses back to ok after forRequests answers', () => {
    const behaviour = new SscBehaviour();
    behaviour.set({ mode: 'fail', status: 502, forRequests: 2 });
    expect([1, 2, 3].map(() => behaviour.answer('cc').kind)).toEqual(['fail', 'fail', 'accept']);
  });

  it('lets one service misbehave while the others answer normally', () => {
    const behaviour = new SscBehaviour();
    behaviour.set({ mode: 'reject', service: 'a' });
    behaviour.set({ mode: 'slow', delayMs: 300, service: 'b' });
    expect(behaviour.answer('a')).toEqual({ kind: 'reject', status: 400 });
    expect(behaviour.answer('b')).toEqual({ kind: 'accept', delayMs: 300 });
    expect(behaviour.answer('c')).toEqual({ kind: 'accept', delayMs: 0 });
    behaviour.reset();
    expect(behaviour.answer('a')).toEqual({ kind: 'accept', delayMs: 0 });
  });
});
