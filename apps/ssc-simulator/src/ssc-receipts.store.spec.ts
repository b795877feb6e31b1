import { SscReceiptsStore } from './ssc-receipts.store';

describe('SscReceiptsStore', () => {
  it('records each idempotency key once, counts repeats as duplicates, and keeps arrival order per canonical id', () => {
    const store = new SscReceiptsStore(() => new Date('2026-11-23T12:00:00Z'));
    expect(store.accept('cc', 'k1', 'case-1', 'r1').duplicate).toBe(false);
    expect(store.accept('cc', 'k2', 'case-1', 'r2').duplicate).toBe(false);
    expect(store.accept('cc', 'k1', 'case-1', 'r1')).toMatchObject({ duplicate: true, arrival: { seq: 1 } });
    store.accept('payroll', 'k3', 'emp-1', 'r1');
    store.refuse('cc');
    expect(store.summary('cc')).toMatchObject({
      service: 'cc',
      count: 3,
      unique: 2,
      duplicates: 1,
      refused: 1,
      byCanonicalId: { 'case-1': ['r1', 'r2'] },
    });
    expect(store.summary().arrivals.map((a) => a.idempotencyKey)).toEqual(['k1', 'k2', 'k3']);
    expect(store.summary('nobody')).toMatchObject({ count: 0, unique: 0, arrivals: [] });
  });

  it('forgets everything on reset', () => {
    const store = new SscReceiptsStore();
    store.accept('cc', 'k1', null, null);
    store.reset();
    expect(store.summary()).toMatchObject({ count: 0, unique: 0, duplicates: 0, refused: 0 });
  });
});
