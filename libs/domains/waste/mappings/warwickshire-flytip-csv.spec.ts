import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MapResult } from '@hub/mapping';
import { DEFRA_LAND_TYPES, DEFRA_SIZES, DEFRA_WASTE_TYPES } from '../src/defra-flytip.constants';
import { wasteRegistry } from '../src/fixtures/waste-registry.fixture';

// Inline rows in the demo's assumed layout of Warwickshire's report-fly-tipping form export, as
// @hub/source-formats hands them over (keyed by the header as written, values trimmed). Invented
// submissions and reporters; places in Warwickshire. The UPRN is Rugby's in UKBinCollectionData's input
// (shared/data/councils/bins/ukbcd_input_partner_subset.json, MIT).
const mapping = wasteRegistry().forFile('warwickshire', 'waste', 'csv')!;

function row(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'Submission ID': 'WCC-FT-000481',
    'Date submitted': '04/03/2026 14:22',
    'Where is the rubbish?': 'In a lay-by or on a verge',
    'What has been dumped?': 'Fridge, freezer, washing machine or cooker',
    'How much is there?': 'One item (e.g. a mattress or a fridge)',
    'Where exactly is it?': 'Lay-by on the A426 south of Dunchurch',
    Postcode: 'cv22 6la',
    'Property reference (UPRN)': '100070182634',
    'Street reference (USRN)': '44012345',
    Easting: '448712',
    Northing: '271204',
    Latitude: '52.33412',
    Longitude: '-1.28641',
    'Your name': 'Beatrice Okonkwo-Fairweather',
    'Your email': 'b.okonkwo.fairweather@example.org',
    'Your phone': '07700 900789',
    'Officer outcome': 'Warning letter sent',
    'Date cleared': '06/03/2026',
    'Clearance cost': '£45.00',
    ...overrides,
  };
}

/** Maps a row at spreadsheet row `n` (the export has a title, an export date and a blank line: data starts at row 5). */
const mapRow = (record: Record<string, string>, n = 5): Promise<MapResult> => mapping.map(record, { row: n });

const lookupEntries = (file: string): Record<string, string> =>
  (
    JSON.parse(readFileSync(resolve(__dirname, 'lookups', file), 'utf8')) as {
      entries: Record<string, string>;
    }
  ).entries;

describe('warwickshire.waste.flytip-csv (the residents\u2019 report-form CSV export)', () => {
  it('is the mapping of Warwickshire waste CSV uploads', () => {
    expect(mapping.id).toBe('warwickshire.waste.flytip-csv');
  });

  it("maps a row: the form's answers onto DEFRA's categories with each answer kept; the reporter left out", async () => {
    expect(await mapRow(row())).toEqual({
      ok: true,
      recordId: 'WCC-FT-000481',
      operation: 'upsert',
      warnings: [],
      data: {
        incidentRef: 'WCC-FT-000481',
        reportedDate: '2026-03-04',
        location: {
          uprn: '100070182634',
          usrn: '44012345',
          postcode: 'CV22 6LA',
          easting: 448712,
          northing: 271204,
          latitude: 52.33412,
          longitude: -1.28641,
          addressText: 'Lay-by on the A426 south of Dunchurch',
        },
        landType: 'Highway',
        landTypeLocal: 'In a lay-by or on a verge',
        wasteType: 'White Goods',
        wasteTypeLocal: 'Fridge, freezer, washing machine or cooker',
        size: 'Single Item',
        sizeLocal: 'One item (e.g. a mattress or a fridge)',
        enforcementAction: 'Warning Letter',
        enforcementActionLocal: 'Warning letter sent',
        clearedDate: '2026-03-06',
        clearanceCostPence: 4500,
      },
    });
  });

  it("never carries the reporter's name, email or phone, in the data or in any issue", async () => {
    const results = [
      await mapRow(row()),
      await mapRow(row({ 'Where is the rubbish?': 'Beatrice Okonkwo-Fairweather' })),
      await mapRow(row({ 'Property reference (UPRN)': '1.00070E+11', 'Date submitted': '07700 900789' })),
    ];
    const text = JSON.stringify(results).toLowerCase();
    for (const secret of ['okonkwo', 'fairweather', 'b.okonkwo', '07700 900789'])
      expect(text).not.toContain(secret);
  });

  it.each(['1.00070E+11', '0', '100070000000'])(
    'accepts a row whose UPRN Excel mangled (%s): a warning, the UPRN empty, the raw value kept as source key',
    async (raw) => {
      const result = await mapRow(row({ 'Property reference (UPRN)': raw }), 12);
      expect(result.ok).toBe(true);
      expect(result.ok && result.data['location']).toMatchObject({ sourceKey: raw, postcode: 'CV22 6LA' });
      expect(result.ok && result.data['location']).not.toHaveProperty('uprn');
      expect(result.ok && result.warnings).toEqual([
        expect.objectContaining({ code: 'MAPPING.FIELD_INVALID', field: 'location.uprn' }),
      ]);
    },
  );

  it('leaves the enforcement action out while the officer has not decided, and maps "No evidence - cleared" to None', async () => {
    const undecided = await mapRow(row({ 'Officer outcome': '', 'Date cleared': '', 'Clearance cost': '' }));
    expect(undecided.ok && undecided.data).not.toHaveProperty('enforcementAction');
    expect(undecided.ok && undecided.data).not.toHaveProperty('clearedDate');
    const none = await mapRow(row({ 'Officer outcome': 'No evidence - cleared' }));
    expect(none.ok && [none.data['enforcementAction'], none.data['enforcementActionLocal']]).toEqual([
      'None',
      'No evidence - cleared',
    ]);
  });

  it('matches header drift by alias and ignores case and punctuation in answers', async () => {
    const { 'Submission ID': id, 'Property reference (UPRN)': uprn, ...rest } = row();
    const drifted = {
      'Submission reference': id!,
      UPRN: uprn!,
      ...rest,
      'How much is there?': 'a SMALL van load',
    };
    const result = await mapRow(drifted);
    expect(result.ok && [result.recordId, result.data['size'], result.data['sizeLocal']]).toEqual([
      'WCC-FT-000481',
      'Small Van Load',
      'a SMALL van load',
    ]);
  });

  it('rejects a row with an answer the form did not offer or without a submission date, naming each field', async () => {
    const result = (await mapRow(
      row({ 'What has been dumped?': 'Hedge trimmings and a sofa', 'Date submitted': '' }),
      17,
    )) as Extract<MapResult, { ok: false }>;
    expect(result.errors).toEqual([
      {
        code: 'MAPPING.FIELD_MISSING',
        field: 'reportedDate',
        message:
          "reportedDate is required but column 'Date submitted' is missing or empty (rule: date; mapping warwickshire.waste.flytip-csv v1)",
      },
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'wasteType',
        message:
          "wasteType: column 'What has been dumped?' has a value that is not in lookup 'waste.warwickshire-flytip-waste-type' (rule: enum; mapping warwickshire.waste.flytip-csv v1)",
      },
    ]);
  });

  describe('the lookup files cover every DEFRA category and give only DEFRA labels', () => {
    it.each([
      ['warwickshire-flytip-land-types.json', DEFRA_LAND_TYPES],
      ['warwickshire-flytip-waste-types.json', DEFRA_WASTE_TYPES],
      ['warwickshire-flytip-sizes.json', DEFRA_SIZES],
    ] as const)('%s', (file, labels) => {
      const values = new Set(Object.values(lookupEntries(file)));
      expect([...values].filter((v) => !(labels as readonly string[]).includes(v))).toEqual([]);
      expect(labels.filter((l) => !values.has(l))).toEqual([]);
    });

    it('maps every answer of each lookup through the mapping to the label the file gives', async () => {
      const cases: [string, string, string][] = [
        ...Object.entries(lookupEntries('warwickshire-flytip-land-types.json')).map(
          ([a, l]): [string, string, string] => ['Where is the rubbish?', a, l],
        ),
        ...Object.entries(lookupEntries('warwickshire-flytip-waste-types.json')).map(
          ([a, l]): [string, string, string] => ['What has been dumped?', a, l],
        ),
        ...Object.entries(lookupEntries('warwickshire-flytip-sizes.json')).map(
          ([a, l]): [string, string, string] => ['How much is there?', a, l],
        ),
      ];
      const field: Record<string, string> = {
        'Where is the rubbish?': 'landType',
        'What has been dumped?': 'wasteType',
        'How much is there?': 'size',
      };
      for (const [column, answer, label] of cases) {
        const result = await mapRow(row({ [column]: answer }));
        expect(result.ok && [result.data[field[column]!], result.data[`${field[column]!}Local`]]).toEqual([
          label,
          answer,
        ]);
      }
    });
  });
});
