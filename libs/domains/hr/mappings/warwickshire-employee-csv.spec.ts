import type { MapResult } from '@hub/mapping';
import { dataOf, errorsOf, hrRegistry, readRealCsv } from '../src/fixtures/hr-registry.fixture';

// Inline rows in the demo's assumed SAP HR ad hoc query layout (the column texts SAP shows). People and
// personal values are invented (HMRC-format NI numbers, Ofcom drama numbers, example.net addresses); the
// job titles, grades, directorates, services and contract type wording are real values from Trafford's
// published organisation chart (../shared/data/councils/trafford/organisation_chart_trafford_council_organisation_structure.csv, OGL v3).
const mapping = hrRegistry().forFile('warwickshire', 'hr', 'csv')!;

const HEADER = [
  'Pers.No.',
  'Position',
  'Position Title',
  'Form of Address',
  'First name',
  'Last name',
  'Known as',
  'Birth date',
  'NI number',
  'Street and House No',
  '2nd Address Line',
  'District',
  'City',
  'Postal Code',
  'Private email',
  'Telephone no.',
  'Mobile no.',
  'Directorate',
  'Org.unit',
  'Organizational unit',
  'Cost Center',
  'Cost center text',
  'Employee group',
  'PS type',
  'PS group',
  'PS level',
  'FTE',
  'Weekly hours',
  'Entry date',
  'Leaving date',
  'Reason for action',
] as const;

type Row = Partial<Record<(typeof HEADER)[number], string>>;

/** A row as the CSV parser gives it: every header column present, values as text. */
function row(overrides: Row = {}): Record<string, string> {
  const base: Row = {
    'Pers.No.': '10048817',
    Position: '50031244',
    'Position Title': 'Strategic Lead Safeguarding',
    'Form of Address': 'Ms',
    'First name': 'Siân',
    'Last name': 'Pritchard-Evans',
    'Known as': '',
    'Birth date': '23.08.1976',
    'NI number': 'WK 30 55 81 D',
    'Street and House No': '8 Clarendon Square',
    '2nd Address Line': '',
    District: 'Leamington Spa',
    City: 'Warwick',
    'Postal Code': 'CV32 5QX',
    'Private email': 'sian.pe@example.net',
    'Telephone no.': '',
    'Mobile no.': '07700 900461',
    Directorate: "Children's Services",
    'Org.unit': '50000412',
    'Organizational unit': 'Safeguarding',
    'Cost Center': 'W12040',
    'Cost center text': 'Safeguarding Unit',
    'Employee group': 'Permanent',
    'PS type': 'JNC Chief Officers',
    'PS group': 'SM4A',
    'PS level': '',
    FTE: '1.00000',
    'Weekly hours': '37.00',
    'Entry date': '01.09.2015',
    'Leaving date': '31.12.9999',
    'Reason for action': '',
  };
  return Object.fromEntries(HEADER.map((h) => [h, { ...base, ...overrides }[h] ?? '']));
}

const map = (record: Record<string, string>, rowNumber = 3): Promise<MapResult> =>
  mapping.map(record, { row: rowNumber, fileName: 'HR_EMP_EXPORT_20261123.csv' });

describe('warwickshire.hr.employee-csv (nightly SAP HR export)', () => {
  it('is the mapping of Warwickshire HR CSV uploads', () => {
    expect(mapping.id).toBe('warwickshire.hr.employee-csv');
    expect(mapping.format).toBe('csv');
  });

  it("maps a row: dd.mm.yyyy dates, SAP's 31.12.9999 open end left out, a spaced NI number, a chief officer grade without spinal point", async () => {
    expect(await map(row())).toEqual({
      ok: true,
      recordId: '10048817',
      operation: 'upsert',
      warnings: [],
      data: {
        employeeNumber: '10048817',
        postRef: '50031244',
        jobTitle: 'Strategic Lead Safeguarding',
        name: { title: 'Ms', givenNames: 'Siân', familyName: 'Pritchard-Evans' },
        dateOfBirth: '1976-08-23',
        nationalInsuranceNumber: 'WK305581D',
        homeAddress: {
          line1: '8 Clarendon Square',
          line3: 'Leamington Spa',
          town: 'Warwick',
          postcode: 'CV32 5QX',
        },
        contact: { email: 'sian.pe@example.net', mobile: '07700 900461' },
        directorate: "Children's Services",
        organisationalUnit: { code: '50000412', label: 'Safeguarding' },
        costCentre: { code: 'W12040', label: 'Safeguarding Unit' },
        grade: { code: 'SM4A', payScale: 'JNC Chief Officers' },
        contract: { type: 'permanent', typeLocal: 'Permanent', fte: 1, contractedHours: 37 },
        startDate: '2015-09-01',
      },
    });
  });

  it("maps an NJC part-timer on a fixed-term contract in Trafford's wording, with SAP's empty date and default position", async () => {
    const data = dataOf(
      await map(
        row({
          'Pers.No.': '10052290',
          Position: '99999999',
          'Position Title': 'School Improvement Advisor - Primary',
          'Employee group': 'Fixed Term Contract',
          'PS type': 'NJC',
          'PS group': 'Grade 7',
          'PS level': '025',
          FTE: '0.81081',
          'Weekly hours': '30.00',
          'Birth date': '00.00.0000',
          'Entry date': '06.01.2025',
          'Leaving date': '05.01.2027',
        }),
      ),
    );
    expect(data).toMatchObject({
      employeeNumber: '10052290',
      jobTitle: 'School Improvement Advisor - Primary',
      grade: { code: 'Grade 7', payScale: 'NJC', spinalColumnPoint: 25 },
      contract: { type: 'fixed-term', typeLocal: 'Fixed Term Contract', fte: 0.81081, contractedHours: 30 },
      startDate: '2025-01-06',
      endDate: '2027-01-05',
    });
    expect(data).not.toHaveProperty('postRef');
    expect(data).not.toHaveProperty('dateOfBirth');
  });

  it('maps a leaver with the leaving date and the SAP action reason', async () => {
    const data = dataOf(
      await map(row({ 'Leaving date': '30.11.2026', 'Reason for action': 'Resignation - relocation' })),
    );
    expect(data).toMatchObject({ endDate: '2026-11-30', leaverReason: 'Resignation - relocation' });
  });

  it.each([
    ['Permanent', 'permanent'],
    ['Fixed Term', 'fixed-term'],
    ['Temporary', 'fixed-term'],
    ['Casual', 'casual'],
    ['Relief', 'casual'],
    ['Apprentice', 'apprentice'],
    ['Agency', 'agency'],
  ])('maps the employee group %s onto %s, keeping the original', async (local, canonical) => {
    expect(dataOf(await map(row({ 'Employee group': local })))['contract']).toMatchObject({
      type: canonical,
      typeLocal: local,
    });
  });

  it('finds columns under the Transparency Code organisation chart names (header drift), e.g. JobTitle, Grade, ContractType, Service', async () => {
    const lga = {
      'Pers.No.': '10060001',
      JobTitle: 'Head of SEND and Inclusion',
      Grade: 'Soulbury Educational Professionals',
      Directorate: "Children's Services",
      Service: 'Inclusion',
      ContractType: 'Permanent',
      'Entry date': '02.05.2023',
    };
    expect(dataOf(await map(lga))).toEqual({
      employeeNumber: '10060001',
      jobTitle: 'Head of SEND and Inclusion',
      directorate: "Children's Services",
      organisationalUnit: { label: 'Inclusion' },
      grade: { code: 'Soulbury Educational Professionals' },
      contract: { type: 'permanent', typeLocal: 'Permanent' },
      startDate: '2023-05-02',
    });
  });

  it("maps every contract type Trafford's real organisation chart publishes (78 Permanent, 2 Fixed Term Contract)", async () => {
    const chart = readRealCsv('trafford/organisation_chart_trafford_council_organisation_structure.csv');
    expect(chart.header).toEqual(
      expect.arrayContaining(['JobTitle', 'Grade', 'Directorate', 'Service', 'ContractType']),
    );
    const types = new Map<string, number>();
    for (const [i, post] of chart.rows.entries()) {
      // The chart describes posts, not people: it has no employee number, start date, date of birth or NI
      // number, so those are supplied here; its own columns are mapped as published.
      const record = {
        JobTitle: post['JobTitle']!,
        Grade: post['Grade']!,
        Directorate: post['Directorate']!,
        Service: post['Service']!,
        ContractType: post['ContractType']!,
        'Pers.No.': String(20000001 + i),
        'Entry date': '01.07.2025',
      };
      const data = dataOf(await map(record, i + 2));
      // The Code's NA means no value in the organisational columns.
      expect(JSON.stringify(data)).not.toContain('"NA"');
      const contract = data['contract'] as { type: string };
      types.set(contract.type, (types.get(contract.type) ?? 0) + 1);
    }
    expect(Object.fromEntries(types)).toEqual({ permanent: 78, 'fixed-term': 2 });
  });

  it('rejects a row with an invalid NI number with MAPPING.FIELD_INVALID naming the field, not the value', async () => {
    const errors = errorsOf(await map(row({ 'NI number': 'WK 30 55 81 E' })));
    expect(errors).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'nationalInsuranceNumber',
        message:
          "nationalInsuranceNumber: column 'NI number' is not a National Insurance number (HMRC format AB123456C) (rule: nino; mapping warwickshire.hr.employee-csv v1)",
      },
    ]);
  });

  it('rejects a row without an entry date (or with only the SAP empty date), naming the field', async () => {
    for (const empty of ['', '00.00.0000']) {
      expect(errorsOf(await map(row({ 'Entry date': empty })))).toEqual([
        {
          code: 'MAPPING.FIELD_MISSING',
          field: 'startDate',
          message:
            "startDate is required but column 'Entry date' is missing or empty (rule: date; mapping warwickshire.hr.employee-csv v1)",
        },
      ]);
    }
  });

  it('rejects a row without a personnel number or employee group, and a fractional pay scale level', async () => {
    const errors = errorsOf(await map(row({ 'Pers.No.': '', 'Employee group': '', 'PS level': '23.5' })));
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_MISSING', 'recordId'],
      ['MAPPING.FIELD_MISSING', 'employeeNumber'],
      ['MAPPING.FIELD_INVALID', 'grade.spinalColumnPoint'],
      ['MAPPING.FIELD_MISSING', 'contract.type'],
    ]);
  });
});
