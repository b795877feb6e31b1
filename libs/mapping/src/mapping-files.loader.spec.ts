import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadMappingFiles } from './mapping-files.loader';

describe('loadMappingFiles', () => {
  it("reads the repository's mapping and shared lookup files, with paths relative to the root", () => {
    const files = loadMappingFiles(resolve(__dirname, '../../..'));
    expect(files.mappings.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'libs/domains/finance/mappings/coventry-spend-json.json',
        'libs/domains/finance/mappings/warwickshire-spend-csv.json',
      ]),
    );
    expect(files.lookups.map((f) => f.path)).toContain(
      'libs/domains/finance/mappings/lookups/payment-method-is-card.json',
    );
    expect(files.mappings.every((f) => typeof f.content === 'object')).toBe(true);
  });

  it('fails fast on malformed JSON, naming the file', () => {
    const root = mkdtempSync(join(tmpdir(), 'hub-mappings-'));
    try {
      mkdirSync(join(root, 'libs', 'domains', 'waste', 'mappings'), { recursive: true });
      writeFileSync(join(root, 'libs', 'domains', 'waste', 'mappings', 'broken.json'), '{ "id": ');
      expect(() => loadMappingFiles(root)).toThrow(
        'libs/domains/waste/mappings/broken.json: is not readable JSON',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('returns nothing for a root without domains', () => {
    expect(loadMappingFiles(join(tmpdir(), 'no-such-hub-root'))).toEqual({ mappings: [], lookups: [] });
  });
});
