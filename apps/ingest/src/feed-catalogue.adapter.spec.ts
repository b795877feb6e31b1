import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@hub/config';
import { loadFeedCatalogue } from './feed-catalogue.adapter';

describe('loadFeedCatalogue', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'partnership-'));
    cpSync(join(repoRoot(), 'config', 'partnership'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads PARTNERSHIP_DIR as the folder holding councils.json and feeds/ (a copy of config/partnership)', () => {
    const file = join(dir, 'feeds', 'coventry.json');
    const coventry = JSON.parse(readFileSync(file, 'utf8')) as {
      feeds: Array<{ domain: string; eventTypes: Record<string, string> }>;
    };
    const finance = coventry.feeds.find((f) => f.domain === 'finance')!;
    finance.eventTypes = { 'uk.gov.council.finance.payment': 'coventry.finance.spend-json' };
    writeFileSync(file, JSON.stringify(coventry));

    const catalogue = loadFeedCatalogue(dir);
    expect(catalogue.knownTypes('coventry', 'finance')).toEqual(['uk.gov.council.finance.payment']);
    expect(catalogue.mappingFor('coventry', 'finance', 'uk.gov.council.finance.payment')?.id).toBe(
      'coventry.finance.spend-json',
    );
    expect(catalogue.mappingFor('coventry', 'finance', 'uk.gov.council.finance.spend')).toBeUndefined();
  });

  it('reads the repository config without one', () => {
    expect(loadFeedCatalogue().knownTypes('coventry', 'finance')).toEqual(['uk.gov.council.finance.spend']);
  });
});
