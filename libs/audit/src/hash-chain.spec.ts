import { createHash } from 'node:crypto';
import { ChainedFields, GENESIS_HASH, chainHash, stableJson, stableJsonReference } from './hash-chain';

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

describe('stableJson, the fast form', () => {
  /** A deterministic pseudo-random source, so a failure can be reproduced. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }
  const keys = ['a', 'b', 'Z', 'é', 'a b', '10', '2', '', '\u0000', 'detail', 'topic', '😀', 'zz'];
  function value(next: () => number, depth: number): unknown {
    const kind = Math.floor(next() * (depth > 3 ? 6 : 9));
    switch (kind) {
      case 0:
        return null;
      case 1:
        return undefined;
      case 2:
        return Math.floor(next() * 2000) - 1000 + (next() < 0.3 ? next() : 0);
      case 3:
        return next() < 0.5;
      case 4:
        return `s${Math.floor(next() * 100)}"\\\n€`;
      case 5:
        return new Date(Math.floor(next() * 2e12));
      case 6:
        return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
      default: {
        const object: Record<string, unknown> = {};
        for (let i = Math.floor(next() * 6); i > 0; i -= 1)
          object[keys[Math.floor(next() * keys.length)]] = value(next, depth + 1);
        return object;
      }
    }
  }

  it('writes exactly what the reference form writes, for 5,000 random values (stored hashes depend on it)', () => {
    const next = random(20261124);
    for (let i = 0; i < 5_000; i += 1) {
      const v = value(next, 0);
      expect(stableJson(v)).toBe(stableJsonReference(v));
    }
  });

  it('keeps the reference form for the edge cases: undefined in arrays and objects, nested empties', () => {
    const v = { z: [undefined, null, 1, [], {}], a: undefined, m: { y: { x: [] } } };
    expect(stableJson(v)).toBe(stableJsonReference(v));
    expect(stableJson(v)).toBe('{"m":{"y":{"x":[]}},"z":[,null,1,[],{}]}');
  });
});

describe('chainHash', () => {
  /** The definition: SHA-256 of the previous hash and the reference serialisation of the field array. */
  function referenceHash(prev: Buffer, r: ChainedFields): Buffer {
    const body = stableJsonReference([
      r.chain,
      r.seq,
      r.eventId,
      r.stage,
      r.occurredAt.toISOString(),
      r.recordedAt.toISOString(),
      r.actor,
      r.council,
      r.domain,
      r.entity,
      r.sourceEventId,
      r.canonicalId,
      r.revision,
      r.deliveryId,
      r.fileId,
      r.code,
      r.detail,
    ]);
    return createHash('sha256').update(prev).update(body).digest();
  }

  it('hashes exactly as the definition does, with and without a precomputed detail, for nulls and awkward text', () => {
    const rows: ChainedFields[] = [
      {
        chain: 0,
        seq: '1',
        eventId: 'e1',
        stage: 'received',
        occurredAt: new Date('2026-11-24T03:00:00.000Z'),
        recordedAt: new Date('2026-11-24T03:00:00.100Z'),
        actor: 'ingest',
        council: null,
        domain: null,
        entity: null,
        sourceEventId: null,
        canonicalId: null,
        revision: null,
        deliveryId: null,
        fileId: null,
        code: null,
        detail: {},
      },
      {
        chain: 11,
        seq: '9007199254740993',
        eventId: 'e"2\\',
        stage: 'rejected',
        occurredAt: new Date(0),
        recordedAt: new Date('2030-01-01T00:00:00.000Z'),
        actor: 'ingest\t',
        council: 'coventry',
        domain: 'finance',
        entity: 'finance.spend',
        sourceEventId: 'ce-\u0000-😀',
        canonicalId: 'c',
        revision: 'r',
        deliveryId: 'd',
        fileId: 'f',
        code: 'SOURCE.JSON_INVALID',
        detail: { z: 'x', a: 'line\nbreak\t"q"', n: null, ok: true, amount: -12.5, big: 1e21 },
      },
    ];
    for (const row of rows) {
      expect(chainHash(GENESIS_HASH, row)).toEqual(referenceHash(GENESIS_HASH, row));
      expect(chainHash(GENESIS_HASH, row, stableJson(row.detail))).toEqual(referenceHash(GENESIS_HASH, row));
    }
  });
});
