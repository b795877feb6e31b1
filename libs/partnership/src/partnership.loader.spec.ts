import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DOMAINS, isCouncilValidOn } from './partnership.model';
import { findPartnershipRoot, loadPartnership, loadPartnershipDir } from './partnership.loader';

describe('loadPartnership (the repository config)', () => {
  const partnership = loadPartnership(resolve(__dirname, '../../..'));

  it('finds the repository root by itself', () => {
    expect(findPartnershipRoot()).toBe(resolve(__dirname, '../../..'));
    expect(loadPartnership().councils.length).toBe(partnership.councils.length);
  });

  it('registers the ten councils of the domain and Northamptonshire, which ended on 1 April 2021', () => {
    expect(partnership.councils.map((c) => [c.slug, c.gss])).toEqual([
      ['coventry', 'E08000026'],
      ['solihull', 'E08000029'],
      ['warwickshire', 'E10000031'],
      ['herefordshire', 'E06000019'],
      ['worcestershire', 'E10000034'],
      ['canterbury', 'E07000106'],
      ['dover', 'E07000108'],
      ['thanet', 'E07000114'],
      ['devon', 'E10000008'],
      ['trafford', 'E08000009'],
      ['northamptonshire', 'E10000021'],
    ]);
    const northants = partnership.councilByGss('E10000021')!;
    expect(northants).toMatchObject({
      name: 'Northamptonshire County Council',
      type: 'county',
      validTo: '2021-04-01',
    });
    expect(isCouncilValidOn(northants, '2021-03-31')).toBe(true);
    expect(isCouncilValidOn(northants, '2021-04-01')).toBe(false);
    expect(isCouncilValidOn(partnership.council('coventry')!, '2026-11-23')).toBe(true);
  });

  it('gives Coventry, Solihull and Warwickshire an hr, finance, crm and waste feed each, as partnership members', () => {
    for (const council of ['coventry', 'solihull', 'warwickshire']) {
      expect(
        partnership
          .feedsOf(council)
          .map((f) => f.domain)
          .sort(),
      ).toEqual([...DOMAINS].sort());
      expect(partnership.feedsOf(council).every((f) => f.partnershipMember)).toBe(true);
    }
    const coventry = partnership.feed('coventry', 'finance')!;
    expect(coventry).toMatchObject({
      systems: [{ id: 'agresso', ceSource: '/councils/coventry/agresso' }],
      eventTypes: { 'uk.gov.council.finance.spend': 'coventry.finance.spend-json' },
      cadence: 'PT5M',
      cadenceSeconds: 300,
      configFile: 'config/partnership/feeds/coventry.json',
    });
    expect(partnership.feed('warwickshire', 'finance')?.files).toEqual({
      csv: 'warwickshire.finance.spend-csv',
    });
  });

  it('has Devon and Trafford finance feeds as onboarding examples outside the partnership', () => {
    for (const council of ['devon', 'trafford']) {
      expect(partnership.feedsOf(council)).toEqual([
        expect.objectContaining({
          domain: 'finance',
          partnershipMember: false,
          files: { csv: `${council}.finance.spend-csv` },
        }),
      ]);
    }
  });

  it('answers undefined for unknown councils and feeds', () => {
    expect(partnership.council('atlantis')).toBeUndefined();
    expect(partnership.feed('devon', 'hr')).toBeUndefined();
    expect(partnership.feedsOf('atlantis')).toEqual([]);
  });
});

describe('loadPartnershipDir (PARTNERSHIP_DIR: a folder holding councils.json and feeds/)', () => {
  const root = resolve(__dirname, '../../..');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'partnership-'));
    cpSync(join(root, 'config', 'partnership'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a copy of config/partnership as the repository config', () => {
    const copy = loadPartnershipDir(dir);
    const repo = loadPartnership(root);
    expect(copy.councils).toEqual(repo.councils);
    expect(copy.feeds.map((f) => [f.council, f.domain, f.eventTypes, f.files])).toEqual(
      repo.feeds.map((f) => [f.council, f.domain, f.eventTypes, f.files]),
    );
    expect(copy.feed('coventry', 'finance')?.configFile).toBe(join(dir, 'feeds', 'coventry.json'));
  });

  it("reads that folder's files, not the repository's, and names a broken one by its full path", () => {
    const feeds = join(dir, 'feeds', 'coventry.json');
    writeFileSync(feeds, '{ "council": "coventry", ');
    expect(() => loadPartnershipDir(dir)).toThrow(`${feeds}: is not valid JSON`);
  });
});
