import type { Feed } from '@hub/partnership';
import { csvMappingSpec, mappingFile, testCaseEntity } from './fixtures/test-case.fixture';
import { MappingConfigError } from './mapping-config.error';
import type { MappingFiles } from './mapping-file.types';
import { buildMappingRegistry } from './mapping.registry';

function feed(overrides: Partial<Feed>): Feed {
  return {
    council: 'coventry',
    domain: 'crm',
    systems: [{ id: 'crm', ceSource: '/councils/coventry/crm' }],
    eventTypes: {},
    files: {},
    cadence: 'PT5M',
    cadenceSeconds: 300,
    partnershipMember: true,
    configFile: 'config/partnership/feeds/coventry.json',
    ...overrides,
  };
}

const jsonSpec = {
  ...csvMappingSpec(),
  id: 'test.crm.test-case-json',
  format: 'json',
  recordId: { from: 'ref' },
};
const files: MappingFiles = {
  mappings: [mappingFile({ ...csvMappingSpec() }, 'csv'), mappingFile(jsonSpec, 'json')],
  lookups: [
    { path: 'test/lookups/yes-no.json', content: { name: 'shared.yes-no', entries: { Y: true, N: false } } },
  ],
};

function buildError(feeds: Feed[], mappingFiles: MappingFiles = files): string {
  try {
    buildMappingRegistry({ feeds }, [testCaseEntity], mappingFiles);
  } catch (error) {
    expect(error).toBeInstanceOf(MappingConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a MappingConfigError');
}

describe('buildMappingRegistry', () => {
  const registry = buildMappingRegistry(
    {
      feeds: [
        feed({
          eventTypes: { 'uk.gov.council.crm.case': 'test.crm.test-case-json' },
          files: { csv: 'test.crm.test-case-csv' },
        }),
        feed({
          council: 'solihull',
          domain: 'hr',
          eventTypes: { 'uk.gov.hr.employee': 'solihull.hr.employee-xml' },
        }),
      ],
    },
    [testCaseEntity],
    files,
  );

  it('finds the mapping of an event type and of a file upload', () => {
    expect(registry.forEvent('coventry', 'crm', 'uk.gov.council.crm.case')?.id).toBe(
      'test.crm.test-case-json',
    );
    expect(registry.forFile('coventry', 'crm', 'csv')?.id).toBe('test.crm.test-case-csv');
    expect(registry.forEvent('coventry', 'crm', 'uk.gov.other')).toBeUndefined();
    expect(registry.forEvent('solihull', 'crm', 'uk.gov.council.crm.case')).toBeUndefined();
    expect(registry.forFile('coventry', 'crm', 'xml')).toBeUndefined();
    expect(registry.get('test.crm.test-case-csv')?.version).toBe(3);
    expect(registry.mappings.map((m) => m.id)).toEqual(['test.crm.test-case-csv', 'test.crm.test-case-json']);
  });

  it('lists feeds of domains with no registered entity as inactive instead of failing', () => {
    expect(registry.inactiveFeeds).toEqual([
      { council: 'solihull', domain: 'hr', reason: 'no hr entity is registered in @hub/domains yet' },
    ]);
  });

  it('fails fast, naming the config file and field, when a feed names a mapping that does not exist', () => {
    expect(buildError([feed({ eventTypes: { 'uk.gov.x': 'nope' } })])).toContain(
      'config/partnership/feeds/coventry.json: crm feed eventTypes["uk.gov.x"] names mapping "nope", but no mapping file has that id',
    );
  });

  it('fails when a feed uses a mapping of the wrong format or domain', () => {
    expect(buildError([feed({ files: { csv: 'test.crm.test-case-json' } })])).toContain(
      'whose format is json (expected csv)',
    );
    expect(buildError([feed({ eventTypes: { t: 'test.crm.test-case-csv' } })])).toContain(
      'whose format is csv (expected json or xml)',
    );
  });

  it('lists every problem at once: broken mapping files, duplicate ids, duplicate lookup names', () => {
    const message = buildError([], {
      mappings: [
        ...files.mappings,
        mappingFile({ ...csvMappingSpec() }, 'again'),
        mappingFile({ ...csvMappingSpec(), id: 'x.y', entity: 'hr.nope' }, 'broken'),
      ],
      lookups: [
        ...files.lookups,
        { path: 'test/lookups/again.json', content: { name: 'shared.yes-no', entries: {} } },
      ],
    });
    expect(message).toContain('Mapping configuration is invalid (3 problems)');
    expect(message).toContain('test/lookups/again.json: name "shared.yes-no" is already used');
    expect(message).toContain(
      'test/again.json: id "test.crm.test-case-csv" is already used by test/csv.json',
    );
    expect(message).toContain('test/broken.json: entity "hr.nope" is not a known entity');
  });
});
