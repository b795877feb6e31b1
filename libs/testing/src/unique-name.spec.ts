import { uniqueIdentifier, uniqueName } from './unique-name';

describe('uniqueName', () => {
  it('keeps the prefix and is a valid Kafka topic name', () => {
    const name = uniqueName('council.coventry.finance');
    expect(name).toMatch(/^council\.coventry\.finance-\d{13}-[0-9a-f]{6}$/);
    expect(name.length).toBeLessThanOrEqual(249);
  });

  it('differs between calls in the same millisecond', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName('t')));
    expect(names.size).toBe(100);
  });
});

describe('uniqueIdentifier', () => {
  it('is a lower-case unquoted Postgres identifier of at most 63 characters', () => {
    const id = uniqueIdentifier('Audit-Writer.Spec'.repeat(5));
    expect(id).toMatch(/^[a-z_][a-z0-9_]*$/);
    expect(id.length).toBeLessThanOrEqual(63);
  });

  it('never starts with a digit', () => {
    expect(uniqueIdentifier('9lives')).toMatch(/^_9lives_/);
  });
});
