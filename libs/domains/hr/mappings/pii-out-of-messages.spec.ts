import type { FieldIssue } from '@hub/mapping';
import { hrMapping, parseXml } from '../src/fixtures/hr-registry.fixture';

/**
 * Personal data never reaches a FieldIssue message: messages end up in DLQ headers, logs and the console,
 * where the data-sharing agreement does not let personal data go. Each case below breaks an HR record in a
 * way that involves personal data (a wrong NI number, an impossible date of birth, an over-long name, an
 * unusable contact detail, a repeated element, a failing expression) and checks every error and warning
 * names the field but quotes none of the values. Invented values, chosen to be unmistakable in a message.
 */

const NINO = 'QQ 12 34 56 C';
const NINO_COMPACT = 'QQ123456C';
const GIVEN = 'Oluwaseun';
const FAMILY = 'Featherstonehaugh';
const LONG_FAMILY = `${FAMILY}-${'Cholmondeley'.repeat(9)}`; // 118 characters: over the 100 allowed
const DOB_UK = '31/02/1983';
const DOB_ISO = '1983-02-31';
const DOB_SAP = '31.02.1983';
const EMAIL = 'oluwaseun.featherstonehaugh at example.com';
const PHONE = 'ask for Oluwaseun';
const POSTCODE = 'ZZ99 9ZZZ';
const REASON = 'Featherstonehaugh family bereavement';

/** Every personal value used below, as written and as a parser might normalise it. */
const PII = [
  NINO,
  NINO_COMPACT,
  GIVEN,
  FAMILY,
  LONG_FAMILY,
  DOB_UK,
  DOB_ISO,
  DOB_SAP,
  '1983',
  EMAIL,
  PHONE,
  POSTCODE,
  REASON,
];

interface Case {
  readonly mapping: string;
  readonly record: unknown;
  /** Fields the issues must name (errors and warnings together, in order). */
  readonly fields: readonly string[];
}

const coventryEmployee = (
  person: Record<string, unknown>,
  appointment: Record<string, unknown> = {},
): unknown => ({
  changeType: 'NEW',
  personNumber: '00481234',
  appointmentNumber: 1,
  person: { forenames: GIVEN, surname: FAMILY, ...person },
  appointment: { contractType: 'PERM', startDate: '2019-04-01', ...appointment },
});

const solihullEmployee = (personal: string): unknown =>
  parseXml(
    `<EmployeeRecord employeeRef="SMB004417" postNumber="P10233" action="A"><Personal>${personal}</Personal>` +
      `<Contract category="Permanent"><StartDate>01/04/2022</StartDate></Contract></EmployeeRecord>`,
  );

const warwickshireRow = (overrides: Record<string, string>): Record<string, string> => ({
  'Pers.No.': '10048817',
  'First name': GIVEN,
  'Last name': FAMILY,
  'Employee group': 'Permanent',
  'Entry date': '01.09.2015',
  ...overrides,
});

const CASES: readonly Case[] = [
  {
    mapping: 'coventry.hr.employee-json',
    record: coventryEmployee({ niNumber: NINO, dateOfBirth: DOB_ISO }),
    fields: ['dateOfBirth', 'nationalInsuranceNumber'],
  },
  {
    mapping: 'coventry.hr.employee-json',
    // A rejected record lists every canonical violation as an error, the warnable ones too.
    record: coventryEmployee({
      surname: LONG_FAMILY,
      personalEmail: EMAIL,
      homePhone: PHONE,
      address: { postcode: POSTCODE },
    }),
    fields: ['name.familyName', 'contact.email', 'contact.phone'],
  },
  {
    mapping: 'coventry.hr.employee-json',
    record: coventryEmployee({ personalEmail: EMAIL, homePhone: PHONE, address: { postcode: POSTCODE } }),
    fields: ['homeAddress.postcode', 'contact.email', 'contact.phone'],
  },
  {
    mapping: 'coventry.hr.employee-json',
    record: coventryEmployee({ niNumber: NINO }, { startDate: null, contractType: GIVEN }),
    fields: ['nationalInsuranceNumber', 'contract.type', 'startDate'],
  },
  {
    mapping: 'solihull.hr.employee-xml',
    record: solihullEmployee(
      `<Surname>${FAMILY}</Surname><Forename1>${GIVEN}</Forename1><BirthDate>${DOB_UK}</BirthDate><NINumber>${NINO}</NINumber>`,
    ),
    fields: ['dateOfBirth', 'nationalInsuranceNumber'],
  },
  {
    mapping: 'solihull.hr.employee-xml',
    record: solihullEmployee(`<Surname>${FAMILY}</Surname><Surname>${GIVEN}</Surname>`),
    fields: ['name.familyName'],
  },
  {
    mapping: 'solihull.hr.employee-xml',
    record: solihullEmployee(`<Surname>${FAMILY}</Surname><Forename1><First>${GIVEN}</First></Forename1>`),
    fields: ['name.givenNames'],
  },
  {
    mapping: 'solihull.hr.employee-xml',
    record: solihullEmployee(`<Surname>${LONG_FAMILY}</Surname><EmailAddress>${EMAIL}</EmailAddress>`),
    fields: ['name.familyName', 'contact.email'],
  },
  {
    mapping: 'warwickshire.hr.employee-csv',
    record: warwickshireRow({ 'NI number': NINO, 'Birth date': DOB_SAP }),
    fields: ['dateOfBirth', 'nationalInsuranceNumber'],
  },
  {
    mapping: 'warwickshire.hr.employee-csv',
    record: warwickshireRow({
      'Last name': LONG_FAMILY,
      'Private email': EMAIL,
      'Mobile no.': PHONE,
      'Postal Code': POSTCODE,
    }),
    fields: ['name.familyName', 'contact.email', 'contact.mobile'],
  },
  {
    mapping: 'coventry.hr.absence-json',
    record: {
      absenceId: 1,
      personNumber: '00481234',
      absenceType: 'COMP',
      reason: { description: REASON.repeat(9) },
      firstDay: DOB_ISO,
    },
    fields: ['startDate'],
  },
  {
    mapping: 'coventry.hr.absence-json',
    record: {
      absenceId: 1,
      personNumber: '00481234',
      absenceType: 'COMP',
      reason: { description: REASON.repeat(9) },
      firstDay: '2026-11-02',
    },
    fields: ['reason.label'],
  },
  {
    mapping: 'solihull.hr.absence-xml',
    record: parseXml(
      `<AbsenceRecord absenceId="7" employeeRef="SMB004417" action="A"><AbsenceType>${REASON}</AbsenceType><Reason code="${REASON}">${REASON}</Reason><FirstDay>${DOB_UK}</FirstDay></AbsenceRecord>`,
    ),
    fields: ['category', 'startDate'],
  },
];

describe('personal data stays out of HR mapping messages', () => {
  it.each(CASES.map((c, i) => [i + 1, c.mapping, c] as const))(
    'case %i (%s): issues name the fields, and quote no name, NI number, date of birth or other personal value',
    async (_n, _id, c) => {
      const result = await hrMapping(c.mapping).map(c.record, { row: 2, eventId: 'e1' });
      const issues: readonly FieldIssue[] = result.ok ? result.warnings : result.errors;
      expect(issues.map((i) => i.field)).toEqual(c.fields);
      for (const issue of issues) {
        for (const value of PII) expect(issue.message.toLowerCase()).not.toContain(value.toLowerCase());
        expect(issue.field).toMatch(/^[a-zA-Z.]+$/);
      }
    },
  );

  it('covers every HR mapping', () => {
    expect(new Set(CASES.map((c) => c.mapping))).toEqual(
      new Set([
        'coventry.hr.employee-json',
        'coventry.hr.absence-json',
        'solihull.hr.employee-xml',
        'solihull.hr.absence-xml',
        'warwickshire.hr.employee-csv',
      ]),
    );
  });
});
