import { PartnershipConfigError } from './partnership-config.error';
import { createPartnership, type PartnershipConfigFile } from './partnership.factory';

const councilsFile = (councils: unknown[]): PartnershipConfigFile => ({
  path: 'config/partnership/councils.json',
  content: { councils },
});
const coventry = {
  slug: 'coventry',
  name: 'Coventry City Council',
  gss: 'E08000026',
  type: 'metropolitan-district',
  validFrom: '1974-04-01',
  validTo: null,
};
const financeFeed = {
  council: 'coventry',
  domain: 'finance',
  systems: [{ id: 'agresso', ceSource: '/councils/coventry/agresso' }],
  eventTypes: { 'uk.gov.council.finance.spend': 'coventry.finance.spend-json' },
  cadence: 'PT5M',
  partnershipMember: true,
};
const feedsFile = (
  feeds: unknown[],
  council = 'coventry',
  path = `config/partnership/feeds/${council}.json`,
): PartnershipConfigFile => ({
  path,
  content: { council, feeds },
});

function problems(councils: PartnershipConfigFile, feeds: PartnershipConfigFile[]): string[] {
  try {
    createPartnership(councils, feeds);
  } catch (error) {
    expect(error).toBeInstanceOf(PartnershipConfigError);
    return [...(error as PartnershipConfigError).problems];
  }
  throw new Error('expected a PartnershipConfigError');
}

describe('createPartnership', () => {
  it('builds a partnership from valid files', () => {
    const partnership = createPartnership(councilsFile([coventry]), [feedsFile([financeFeed])]);
    expect(partnership.feed('coventry', 'finance')?.cadenceSeconds).toBe(300);
  });

  it('rejects bad councils, naming the file and the field', () => {
    expect(
      problems(
        councilsFile([
          coventry,
          { ...coventry, name: 'Dup' },
          { slug: 'Bad Slug', name: '', gss: 'X1', type: 'parish', validFrom: '1974' },
          {
            slug: 'solihull',
            name: 'Solihull',
            gss: 'E10000029',
            type: 'metropolitan-district',
            validFrom: '1974-04-01',
            validTo: '1970-01-01',
          },
        ]),
        [],
      ),
    ).toEqual([
      'config/partnership/councils.json: councils[1].slug "coventry" is used twice',
      'config/partnership/councils.json: councils[1].gss "E08000026" is used twice',
      'config/partnership/councils.json: councils[2].slug must be a lower-case slug such as "coventry"',
      "config/partnership/councils.json: councils[2].name must be the council's name",
      'config/partnership/councils.json: councils[2].gss must be a GSS code such as "E08000026"',
      'config/partnership/councils.json: councils[2].type must be one of unitary, district, metropolitan-district, london-borough, county',
      'config/partnership/councils.json: councils[2].validFrom must be an ISO date (yyyy-mm-dd)',
      'config/partnership/councils.json: councils[3].gss must start with E08 for a metropolitan-district council',
      'config/partnership/councils.json: councils[3].validTo must be after validFrom',
    ]);
  });

  it('rejects bad feeds, naming the file and the field', () => {
    const found = problems(councilsFile([coventry]), [
      feedsFile([
        financeFeed,
        { ...financeFeed, systems: [{ id: 'agresso', ceSource: '/councils/solihull/agresso' }] },
        {
          ...financeFeed,
          domain: 'parks',
          cadence: 'every 5 minutes',
          partnershipMember: 'yes',
          eventTypes: {},
          files: { xlsx: 'x' },
        },
        { ...financeFeed, council: 'solihull', domain: 'hr', systems: [] },
      ]),
    ]);
    const file = 'config/partnership/feeds/coventry.json';
    expect(found).toEqual([
      `${file}: feeds[1].domain "finance" has two feeds for coventry`,
      `${file}: feeds[1].systems[0].ceSource must be "/councils/coventry/agresso"`,
      `${file}: feeds[2].domain must be one of hr, finance, crm, waste`,
      `${file}: feeds[2].files.xlsx is not a file format (csv, xml)`,
      `${file}: feeds[2] must have at least one eventTypes or files entry`,
      `${file}: feeds[2].cadence must be an ISO 8601 duration such as "PT5M"`,
      `${file}: feeds[2].partnershipMember must be true or false`,
      `${file}: feeds[3].council must be "coventry" (the council of this file)`,
      `${file}: feeds[3].systems must list at least one source system`,
    ]);
  });

  it('rejects a feed file for an unknown council or under the wrong name', () => {
    expect(problems(councilsFile([coventry]), [feedsFile([], 'atlantis')])).toContain(
      'config/partnership/feeds/atlantis.json: council "atlantis" is not in councils.json',
    );
    expect(
      problems(councilsFile([coventry]), [
        feedsFile([financeFeed], 'coventry', 'config/partnership/feeds/cov.json'),
      ]),
    ).toEqual([
      'config/partnership/feeds/cov.json: holds the feeds of "coventry", so it must be named coventry.json',
    ]);
  });

  it('puts every problem in one error message', () => {
    expect(() => createPartnership({ path: 'councils.json', content: [] }, [])).toThrow(
      'Partnership configuration is invalid (1 problem); fix and restart:\n  - councils.json: must be an object with a "councils" list',
    );
  });
});
