import type { MapResult } from '@hub/mapping';
import { readRealBins, realInputUprn, wasteRegistry } from '../src/fixtures/waste-registry.fixture';

// Inline fixtures in the demo's assumed Bartec job layout (invented jobs, rounds and postcodes), with
// service names, collection dates and UPRNs from the real UKBinCollectionData files in
// shared/data/councils/bins/ (MIT): Warwick District's output is UTF-16LE with a BOM.
const mapping = wasteRegistry().forEvent('coventry', 'waste', 'uk.gov.council.waste.collection')!;

function job(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    JobID: 88123456,
    Feature: { UPRN: 100070263793, USRN: '44001234', Postcode: 'CV3 6GJ' },
    Round: { Name: 'REF-TUE-03' },
    Service: { Name: 'Domestic Refuse' },
    ScheduledStart: '2026-03-03T07:00:00',
    JobStatus: 'Completed',
    CompletedAt: '2026-03-03T10:42:11',
    ...overrides,
  };
}

const ok = (result: MapResult): Extract<MapResult, { ok: true }> => {
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result;
};

describe('coventry.waste.collection-json (JSON events from Bartec)', () => {
  it('maps a completed job: UPRN sent as a JSON number, the service through the shared lookup keeping its name', async () => {
    expect(await mapping.map(job())).toEqual({
      ok: true,
      recordId: '88123456',
      operation: 'upsert',
      warnings: [],
      data: {
        jobRef: '88123456',
        property: { uprn: '100070263793', usrn: '44001234', postcode: 'CV3 6GJ' },
        round: 'REF-TUE-03',
        service: { category: 'refuse', localName: 'Domestic Refuse' },
        scheduledDate: '2026-03-03',
        outcome: 'completed',
        outcomeLocal: 'Completed',
        recordedAt: '2026-03-03T10:42:11.000Z',
      },
    });
  });

  it("takes the crew's exception over the job status, with its comment and time", async () => {
    const result = ok(
      await mapping.map(
        job({
          JobStatus: 'Not Completed',
          Exception: {
            Type: 'Bin Not Out',
            Comment: 'No bin at kerbside at 08:10',
            RecordedAt: '2026-03-03T08:10:00',
          },
        }),
      ),
    );
    expect(result.data).toMatchObject({
      outcome: 'not-presented',
      outcomeLocal: 'Bin Not Out',
      reason: 'No bin at kerbside at 08:10',
      recordedAt: '2026-03-03T08:10:00.000Z',
    });
  });

  it.each([
    ['Contaminated Bin', 'contaminated'],
    ['Access Blocked', 'no-access'],
    ['Bin Not Collected', 'missed'],
  ])('maps the exception %s to %s', async (type, outcome) => {
    expect(
      ok(await mapping.map(job({ JobStatus: 'Not Completed', Exception: { Type: type } }))).data['outcome'],
    ).toBe(outcome);
  });

  describe('real council service names and dates (UKBinCollectionData outputs)', () => {
    const cases: [string, string, string][] = [
      // [council file, service name, expected category]
      ['WarwickDistrictCouncil', 'Rubbish', 'refuse'],
      ['WarwickDistrictCouncil', 'Recycling', 'recycling'],
      ['WarwickDistrictCouncil', 'Garden/Food', 'garden'],
      ['StratfordUponAvonCouncil', 'Refuse', 'refuse'],
      ['StratfordUponAvonCouncil', 'Food waste', 'food'],
      ['StratfordUponAvonCouncil', 'Garden waste', 'garden'],
      ['StratfordUponAvonCouncil', 'Recycling', 'recycling'],
      ['MalvernHillsDC', 'Non-recyclable waste', 'refuse'],
      ['MalvernHillsDC', 'Recycling', 'recycling'],
    ];

    it('reads every bin of the three real files, the UTF-16LE one included', () => {
      expect(cases.map(([council, type]) => [council, type]).sort()).toEqual(
        ['WarwickDistrictCouncil', 'StratfordUponAvonCouncil', 'MalvernHillsDC']
          .flatMap((council) => readRealBins(council).map((bin) => [council, bin.type]))
          .sort(),
      );
    });

    it.each(cases)('%s "%s" is %s, the name kept as localName', async (council, type, category) => {
      const bin = readRealBins(council).find((b) => b.type === type)!;
      const uprn = realInputUprn(council)!;
      const result = ok(
        await mapping.map(
          job({ Feature: { UPRN: uprn }, Service: { Name: bin.type }, ScheduledStart: bin.collectionDate }),
        ),
      );
      expect(result.data['service']).toEqual({ category, localName: type });
      expect(result.data['property']).toEqual({ uprn });
      expect(result.data['scheduledDate']).toBe(
        bin.collectionDate.split('/').reverse().join('-'), // dd/mm/yyyy as published
      );
    });
  });

  it('accepts the 8-, 11- and 12-digit UPRNs of the real inputs', async () => {
    for (const council of [
      'WestNorthamptonshireCouncil',
      'NorthWarwickshireBoroughCouncil',
      'MalvernHillsDC',
    ]) {
      const uprn = realInputUprn(council)!;
      expect(ok(await mapping.map(job({ Feature: { UPRN: uprn } }))).data['property']).toEqual({ uprn });
    }
    expect(['28056796', '10001179576', '100121348457']).toEqual(
      ['WestNorthamptonshireCouncil', 'NorthWarwickshireBoroughCouncil', 'MalvernHillsDC'].map(realInputUprn),
    );
  });

  it.each(['1.00023E+11', '0', '100070000000', 0])(
    'keeps the outcome of a job whose UPRN a spreadsheet mangled (%s): warning, UPRN empty, raw value as source key',
    async (raw) => {
      const result = ok(await mapping.map(job({ Feature: { UPRN: raw, Postcode: 'CV3 6GJ' } })));
      expect(result.data['property']).toEqual({ sourceKey: String(raw), postcode: 'CV3 6GJ' });
      expect(result.data['outcome']).toBe('completed');
      expect(result.warnings).toEqual([
        expect.objectContaining({ code: 'MAPPING.FIELD_INVALID', field: 'property.uprn' }),
      ]);
      expect(result.warnings[0]!.message).toContain('raw value kept in property.sourceKey');
    },
  );

  it('rejects a job whose UPRN is not a UPRN at all (the property would be unknown), naming the field', async () => {
    const result = (await mapping.map(job({ Feature: { UPRN: 'FLAT 2' } }))) as Extract<
      MapResult,
      { ok: false }
    >;
    expect(result.errors).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'property.uprn',
        message:
          "property.uprn: path 'Feature.UPRN' is not a UPRN (expected 1 to 12 digits) (rule: uprn; mapping coventry.waste.collection-json v1)",
      },
    ]);
  });

  it('rejects a service name the lookup does not know, so it is mapped deliberately', async () => {
    const result = (await mapping.map(job({ Service: { Name: 'Purple bin' } }))) as Extract<
      MapResult,
      { ok: false }
    >;
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'service.category'],
    ]);
  });

  it('rejects a job without a scheduled date', async () => {
    const result = (await mapping.map(job({ ScheduledStart: '' }))) as Extract<MapResult, { ok: false }>;
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([['MAPPING.FIELD_MISSING', 'scheduledDate']]);
  });
});
