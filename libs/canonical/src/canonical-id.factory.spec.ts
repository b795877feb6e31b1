import { canonicalRecordId, canonicalRevisionId, uuidV5 } from './canonical-id.factory';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('canonical ids', () => {
  it('computes RFC 4122 version 5 UUIDs (known vector: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives the same record id for the same council, entity and source record id, and another otherwise', () => {
    const id = canonicalRecordId('coventry', 'finance.spend', 'PT348115,1');
    expect(id).toMatch(UUID_V5);
    expect(canonicalRecordId('coventry', 'finance.spend', 'PT348115,1')).toBe(id);
    expect(canonicalRecordId('solihull', 'finance.spend', 'PT348115,1')).not.toBe(id);
    expect(canonicalRecordId('coventry', 'finance.spend', 'PT348115,2')).not.toBe(id);
    // The separator keeps parts from running together.
    expect(canonicalRecordId('a', 'b.c', 'd')).not.toBe(canonicalRecordId('a', 'b', 'c.d'));
  });

  it('gives revisions distinct from record ids', () => {
    expect(canonicalRevisionId('coventry', 'evt-1')).toMatch(UUID_V5);
    expect(canonicalRevisionId('coventry', 'evt-1')).not.toBe(canonicalRevisionId('coventry', 'evt-2'));
  });
});
