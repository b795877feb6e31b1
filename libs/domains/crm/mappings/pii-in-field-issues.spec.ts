import type { FieldIssue, MapResult } from '@hub/mapping';
import { XMLParser } from 'fast-xml-parser';
import { crmRegistry } from '../src/fixtures/crm-registry.fixture';

/**
 * Personal data never reaches a FieldIssue: issues go into DLQ headers, logs and the console, which must
 * not carry a customer's name, email, phone or description. Every CRM mapping is fed records whose
 * personal data is present, malformed, or beside other faults, and every warning and error is searched
 * for the values. (Invented people and values.)
 */
const registry = crmRegistry();
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

const NAME = 'Zebedee Quaintance-Hollowbrook';
const BAD_EMAIL = 'zebedee.quaintance(at)hollowbrook-mail.example';
const BAD_PHONE = 'ring Zebedee on 0770O 9OO 111';
const DESCRIPTION = 'My neighbour Ophelia Marchbanks at 14 Quince Lane keeps dumping bags';
const SECRETS = [
  NAME,
  BAD_EMAIL,
  BAD_PHONE,
  DESCRIPTION,
  'Zebedee',
  'Quaintance',
  'hollowbrook',
  'Ophelia',
  '0770O',
];

function issuesOf(result: MapResult): readonly FieldIssue[] {
  return result.ok ? result.warnings : result.errors;
}

function expectNoPersonalData(results: readonly MapResult[]): void {
  const issues = results.flatMap(issuesOf);
  expect(issues.length).toBeGreaterThan(0);
  const text = JSON.stringify(issues).toLowerCase();
  for (const secret of SECRETS) expect(text).not.toContain(secret.toLowerCase());
}

describe('personal data never appears in FieldIssue messages (crm.case mappings)', () => {
  it('coventry.crm.case-json', async () => {
    const mapping = registry.get('coventry.crm.case-json')!;
    const base = {
      reference: 'CCC-2026-0009999',
      form: { code: 'ENV_FLY', name: 'Fly-tipping' },
      status: 'Submitted',
      submittedAt: '2026-03-04 09:00:00',
      details: DESCRIPTION,
      customer: { fullName: NAME, email: BAD_EMAIL, phone: BAD_PHONE },
    };
    const results = [
      await mapping.map(base),
      await mapping.map({ ...base, status: 'Zebedee' }),
      await mapping.map({ ...base, submittedAt: NAME }),
      await mapping.map({ ...base, customer: { fullName: 'x'.repeat(250) + NAME } }),
      await mapping.map({ ...base, reference: '' }),
    ];
    expect(results[0]).toMatchObject({
      ok: true,
      data: { customer: { name: NAME }, description: DESCRIPTION },
    });
    expectNoPersonalData(results);
  });

  it('solihull.crm.case-xml', async () => {
    const mapping = registry.get('solihull.crm.case-xml')!;
    const doc = (contact: string, statuscode = '1'): unknown =>
      parser.parse(
        `<incident incidentid="a1" action="Create"><ticketnumber>CAS-1</ticketnumber><smbc_servicecode>X</smbc_servicecode>` +
          `<statuscode>${statuscode}</statuscode><createdon>2026-03-04T09:00:00Z</createdon><description>${DESCRIPTION}</description>` +
          `<customerid><contact>${contact}</contact></customerid></incident>`,
      ) as unknown;
    const results = [
      await mapping.map(
        doc(
          `<fullname>${NAME}</fullname><emailaddress1>${BAD_EMAIL}</emailaddress1><telephone1>${BAD_PHONE}</telephone1>`,
        ),
      ),
      await mapping.map(doc(`<fullname>${NAME}</fullname>`, NAME)),
      // Two contacts where one is expected: a shape fault, reported without either.
      await mapping.map(doc(`<fullname>${NAME}</fullname><fullname>Ophelia Marchbanks</fullname>`)),
    ];
    expectNoPersonalData(results);
  });

  it('warwickshire.crm.case-json', async () => {
    const mapping = registry.get('warwickshire.crm.case-json')!;
    const base = {
      Id: '5003z00002ZzZzZAAZ',
      CaseNumber: '00099999',
      Status: 'New',
      Service_Code__c: 'HW-POTHOLE',
      CreatedDate: '2026-03-04T09:00:00.000+0000',
      Description: DESCRIPTION,
      SuppliedName: NAME,
      SuppliedEmail: BAD_EMAIL,
      SuppliedPhone: BAD_PHONE,
      UPRN__c: 'Zebedee Quaintance-Hollowbrook',
    };
    const results = [
      await mapping.map(base),
      await mapping.map({ ...base, Origin: NAME, Status: DESCRIPTION }),
      await mapping.map({ ...base, SuppliedName: { first: NAME } }),
    ];
    expectNoPersonalData(results);
  });
});
