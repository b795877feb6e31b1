import type { MapResult } from '@hub/mapping';
import { crmRegistry } from '../src/fixtures/crm-registry.fixture';

// Inline fixtures in the demo's assumed Salesforce Case layout (standard field names are Salesforce's;
// __c fields are the council's). Invented values; the UPRN is the Warwick District property
// UKBinCollectionData uses as its example (shared/data/councils/bins/ukbcd_input_partner_subset.json, MIT),
// the coordinates are in Leamington Spa.
const mapping = crmRegistry().forEvent('warwickshire', 'crm', 'uk.gov.council.crm.case')!;

function sfCase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    attributes: { type: 'Case', url: '/services/data/v59.0/sobjects/Case/5003z00002AbCdEAAZ' },
    Id: '5003z00002AbCdEAAZ',
    CaseNumber: '00012345',
    IsDeleted: false,
    Status: 'Escalated',
    Origin: 'Walk-in',
    Service_Code__c: 'HW-POTHOLE',
    Service_Name__c: 'Pothole',
    Subject: 'Pothole on Warwick New Road',
    Description: 'Deep pothole in the cycle lane by the bus stop.',
    CreatedDate: '2026-03-04T09:12:33.000+0000',
    LastModifiedDate: '2026-03-05T16:45:00.000+0000',
    ClosedDate: null,
    Status_Notes__c: 'Inspector booked',
    UPRN__c: '100070263793',
    USRN__c: '44001234',
    Postcode__c: 'CV32 5JQ',
    Location__Latitude__s: 52.28571,
    Location__Longitude__s: -1.54623,
    Location_Description__c: 'Warwick New Road, Leamington Spa, near the bus stop',
    SuppliedName: 'Tom Whitfield',
    SuppliedEmail: 'tom.whitfield@example.com',
    SuppliedPhone: '+44 7700 900456',
    ...overrides,
  };
}

describe('warwickshire.crm.case-json (JSON events from Salesforce)', () => {
  it('maps a Case record: +0000 times, geolocation compound field, web-to-case contact fields', async () => {
    expect(await mapping.map(sfCase())).toEqual({
      ok: true,
      recordId: '5003z00002AbCdEAAZ',
      operation: 'upsert',
      warnings: [],
      data: {
        requestId: '00012345',
        service: { code: 'HW-POTHOLE', name: 'Pothole', lgaServiceId: 557 },
        status: 'in-progress',
        statusLocal: 'Escalated',
        statusNotes: 'Inspector booked',
        channel: 'face-to-face',
        channelLocal: 'Walk-in',
        requestedAt: '2026-03-04T09:12:33.000Z',
        updatedAt: '2026-03-05T16:45:00.000Z',
        description: 'Deep pothole in the cycle lane by the bus stop.',
        location: {
          uprn: '100070263793',
          usrn: '44001234',
          postcode: 'CV32 5JQ',
          latitude: 52.28571,
          longitude: -1.54623,
          addressText: 'Warwick New Road, Leamington Spa, near the bus stop',
        },
        customer: { name: 'Tom Whitfield', email: 'tom.whitfield@example.com', phone: '+44 7700 900456' },
      },
    });
  });

  it('takes the related Contact when the case was not raised through web-to-case', async () => {
    const result = await mapping.map(
      sfCase({
        SuppliedName: null,
        SuppliedEmail: null,
        SuppliedPhone: null,
        Origin: 'Phone',
        Contact: { Name: 'Margaret Bell', Email: 'm.bell@example.co.uk', Phone: '01926 410410' },
      }),
    );
    expect(result.ok && result.data['customer']).toEqual({
      name: 'Margaret Bell',
      email: 'm.bell@example.co.uk',
      phone: '01926 410410',
    });
    expect(result.ok && result.data['channel']).toBe('phone');
  });

  it('maps New to open and Closed to closed with the closing time', async () => {
    const open = await mapping.map(sfCase({ Status: 'New' }));
    const closed = await mapping.map(
      sfCase({ Status: 'Closed', ClosedDate: '2026-03-09T11:00:00.000+0000' }),
    );
    expect(open.ok && open.data['status']).toBe('open');
    expect(closed.ok && closed.data).toMatchObject({
      status: 'closed',
      closedAt: '2026-03-09T11:00:00.000Z',
    });
  });

  it('reports UPRNs an agent pasted from a spreadsheet as warnings, keeping the raw value as the source key', async () => {
    const scientific = await mapping.map(sfCase({ UPRN__c: '1.00070E+11' }));
    expect(scientific.ok && scientific.data['location']).toMatchObject({ sourceKey: '1.00070E+11' });
    expect(scientific.ok && (scientific.data['location'] as Record<string, unknown>)['uprn']).toBeUndefined();
    const rounded = await mapping.map(sfCase({ UPRN__c: '100070000000' }));
    expect(rounded.ok && rounded.data['location']).toMatchObject({ sourceKey: '100070000000' });
    expect(rounded.ok && rounded.warnings).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'location.uprn',
        message:
          "location.uprn: path 'UPRN__c' ends in 000000, so a spreadsheet has probably rounded it (rule: uprn; mapping warwickshire.crm.case-json v1); left empty, raw value kept in location.sourceKey",
      },
    ]);
  });

  it('accepts the 8-, 11- and 12-digit UPRNs real councils use', async () => {
    // shared/data/councils/bins/ukbcd_input_partner_subset.json: West Northamptonshire, North Warwickshire, Rugby.
    for (const uprn of ['28056796', '10001179576', '100070182634']) {
      const result = await mapping.map(sfCase({ UPRN__c: uprn }));
      expect(result.ok && (result.data['location'] as Record<string, unknown>)['uprn']).toBe(uprn);
    }
  });

  it('maps a deleted Case (IsDeleted true) to the record id alone', async () => {
    expect(await mapping.map(sfCase({ IsDeleted: true }))).toEqual({
      ok: true,
      recordId: '5003z00002AbCdEAAZ',
      operation: 'delete',
      data: {},
      warnings: [],
    });
  });

  it('drops a swapped latitude and longitude (outside the UK range) with warnings naming both, keeping the case', async () => {
    const result = await mapping.map(
      sfCase({ Location__Latitude__s: -1.54623, Location__Longitude__s: 52.28571 }),
    );
    expect(result.ok && result.warnings.map((w) => w.field).sort()).toEqual([
      'location.latitude',
      'location.longitude',
    ]);
    expect(result.ok && result.data['location']).not.toHaveProperty('latitude');
  });

  it('rejects a Case without a CreatedDate', async () => {
    const result = (await mapping.map(sfCase({ CreatedDate: '' }))) as Extract<MapResult, { ok: false }>;
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([['MAPPING.FIELD_MISSING', 'requestedAt']]);
  });
});
