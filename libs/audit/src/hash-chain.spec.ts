import { ChainedFields, GENESIS_HASH, chainHash, stableJson } from './hash-chain';

const row = (over: Partial<ChainedFields> = {}): ChainedFields => ({
  chain: 0,
  seq: '1',
  eventId: 'e1',
  stage: 'received',
  occurredAt: new Date('2026-11-23T10:00:00.000Z'),
  recordedAt: new Date('2026-11-23T10:00:01.000Z'),
  actor: 'ingest',
  council: 'coventry',
  domain: 'finance',
  entity: null,
  sourceEventId: 'ce-1',
  canonicalId: null,
  revision: null,
  deliveryId: null,
  fileId: null,
  code: null,
  detail: { topic: 't', partition: 0, offset: '5' },
  ...over,
});

describe('hash chain', () => {
  it('does not depend on detail key order (jsonb reorders keys)', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    const a = chainHash(GENESIS_HASH, row({ detail: { x: 1, y: 'z' } }));
    const b = chainHash(GENESIS_HASH, row({ detail: { y: 'z', x: 1 } }));
    expect(a.equals(b)).toBe(true);
  });

  it('changes when any covered field or the previous hash changes', () => {
    const base = chainHash(GENESIS_HASH, row());
    expect(chainHash(GENESIS_HASH, row({ stage: 'rejected' })).equals(base)).toBe(false);
    expect(
      chainHash(GENESIS_HASH, row({ detail: { topic: 't', partition: 0, offset: '6' } })).equals(base),
    ).toBe(false);
    expect(chainHash(Buffer.alloc(32, 1), row()).equals(base)).toBe(false);
    expect(base).toHaveLength(32);
  });
});
