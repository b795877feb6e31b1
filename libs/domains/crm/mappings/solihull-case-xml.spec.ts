import type { MapResult } from '@hub/mapping';
import { XMLParser } from 'fast-xml-parser';
import { crmRegistry } from '../src/fixtures/crm-registry.fixture';

// Inline fixtures in the demo's assumed Dynamics 365 incident layout (invented values; the statuscode and
// caseorigincode option values are Dynamics' defaults, 100000000+ are Solihull's own). The UPRN is the
// Solihull property UKBinCollectionData uses as its example (shared/data/councils/bins/
// ukbcd_input_partner_subset.json, MIT); postcode and grid reference are in Solihull town centre.
// Parsed with fast-xml-parser keeping attributes (prefix @_) and text as text, as @hub/source-formats does.
const mapping = crmRegistry().forEvent('solihull', 'crm', 'uk.gov.solihull.crm.case')!;
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
const parse = (xml: string): unknown => parser.parse(xml) as unknown;

interface IncidentParts {
  action?: string;
  statuscode?: string;
  caseorigincode?: string;
  contact?: string;
  extra?: string;
}

const incident = (parts: IncidentParts = {}): string => `<?xml version="1.0" encoding="UTF-8"?>
<incident xmlns="urn:example:solihull:dynamics:incident:1" incidentid="7f3c2a10-4b1e-ef11-9f89-000d3a0b1c2d" action="${parts.action ?? 'Create'}">
  <ticketnumber>CAS-01234-X7Y8Z9</ticketnumber>
  <title>Street light out outside number 12</title>
  <smbc_servicecode>SL-FAULT</smbc_servicecode>
  <smbc_servicename>Street light fault</smbc_servicename>
  <statecode>0</statecode>
  <statuscode>${parts.statuscode ?? '1'}</statuscode>
  <caseorigincode>${parts.caseorigincode ?? '3'}</caseorigincode>
  <createdon>2026-03-04T09:12:33Z</createdon>
  <modifiedon>2026-03-05T14:01:10Z</modifiedon>
  <description>Lamp column 27 has been out for a week.</description>
  <smbc_uprn>100071005444</smbc_uprn>
  <smbc_usrn>2700815</smbc_usrn>
  <smbc_postcode>B91 3QB</smbc_postcode>
  <smbc_easting>415210</smbc_easting>
  <smbc_northing>279420</smbc_northing>
  <smbc_address>Homer Road, Solihull</smbc_address>
  <customerid>
    <contact>${parts.contact ?? '<fullname>Gareth Evans</fullname><emailaddress1>gareth.evans@example.net</emailaddress1><telephone1>0121 704 6000</telephone1>'}</contact>
  </customerid>
  ${parts.extra ?? ''}
</incident>`;

describe('solihull.crm.case-xml (XML events from Dynamics 365)', () => {
  it('maps an incident document: attributes, option-set codes through lookups keeping the codes, UTC times', async () => {
    expect(await mapping.map(parse(incident()))).toEqual({
      ok: true,
      recordId: '7f3c2a10-4b1e-ef11-9f89-000d3a0b1c2d',
      operation: 'upsert',
      warnings: [],
      data: {
        requestId: 'CAS-01234-X7Y8Z9',
        service: { code: 'SL-FAULT', name: 'Street light fault', lgaServiceId: 564 },
        status: 'in-progress',
        statusLocal: '1',
        channel: 'web',
        channelLocal: '3',
        requestedAt: '2026-03-04T09:12:33.000Z',
        updatedAt: '2026-03-05T14:01:10.000Z',
        description: 'Lamp column 27 has been out for a week.',
        location: {
          uprn: '100071005444',
          usrn: '2700815',
          postcode: 'B91 3QB',
          easting: 415210,
          northing: 279420,
          addressText: 'Homer Road, Solihull',
        },
        customer: { name: 'Gareth Evans', email: 'gareth.evans@example.net', phone: '0121 704 6000' },
      },
    });
  });

  it.each([
    ['100000000', 'open'],
    ['2', 'in-progress'],
    ['5', 'closed'],
    ['1000', 'closed'],
    ['6', 'closed'],
    ['2000', 'closed'],
  ])('maps statuscode %s to %s', async (statuscode, status) => {
    const result = await mapping.map(parse(incident({ statuscode })));
    expect(result.ok && [result.data['status'], result.data['statusLocal']]).toEqual([status, statuscode]);
  });

  it('maps a resolved case with its closing time', async () => {
    const result = await mapping.map(
      parse(
        incident({
          statuscode: '5',
          extra:
            '<smbc_closedon>2026-03-06T10:00:00Z</smbc_closedon><smbc_publicnote>Lamp replaced</smbc_publicnote>',
        }),
      ),
    );
    expect(result.ok && result.data).toMatchObject({
      status: 'closed',
      closedAt: '2026-03-06T10:00:00.000Z',
      statusNotes: 'Lamp replaced',
    });
  });

  it('keeps a case that came in by Facebook (no canonical channel) with a warning and the code in channelLocal', async () => {
    const result = await mapping.map(parse(incident({ caseorigincode: '2483' })));
    expect(result.ok && result.data['channel']).toBeUndefined();
    expect(result.ok && result.data['channelLocal']).toBe('2483');
    expect(result.ok && result.warnings.map((w) => w.field)).toEqual(['channel']);
  });

  it("maps Solihull's own face-to-face and app origins", async () => {
    const f2f = await mapping.map(parse(incident({ caseorigincode: '100000000' })));
    const app = await mapping.map(parse(incident({ caseorigincode: '100000001' })));
    expect([f2f.ok && f2f.data['channel'], app.ok && app.data['channel']]).toEqual(['face-to-face', 'app']);
  });

  it('takes the mobile number when the contact has no main telephone', async () => {
    const result = await mapping.map(
      parse(
        incident({ contact: '<fullname>Gareth Evans</fullname><mobilephone>07700 900123</mobilephone>' }),
      ),
    );
    expect(result.ok && result.data['customer']).toEqual({ name: 'Gareth Evans', phone: '07700 900123' });
  });

  it('maps a Delete document to the record id alone', async () => {
    const result = await mapping.map(parse(incident({ action: 'Delete' })));
    expect(result).toEqual({
      ok: true,
      recordId: '7f3c2a10-4b1e-ef11-9f89-000d3a0b1c2d',
      operation: 'delete',
      data: {},
      warnings: [],
    });
  });

  it('rejects a document with an unknown statuscode, naming the field and not the value', async () => {
    const result = (await mapping.map(parse(incident({ statuscode: '42' })))) as Extract<
      MapResult,
      { ok: false }
    >;
    expect(result.errors).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'status',
        message:
          "status: path 'statuscode' has a value that is not in lookup 'statuscode' (rule: enum; mapping solihull.crm.case-xml v1)",
      },
    ]);
  });
});
