import type { MapResult } from '@hub/mapping';
import { crmRegistry } from '../src/fixtures/crm-registry.fixture';

// Inline fixtures in the demo's assumed Firmstep case layout. Invented values: the council's address
// (Council House, Earl Street, CV1 5RR) is public; the UPRN, USRN and the customer are made up.
const mapping = crmRegistry().forEvent('coventry', 'crm', 'uk.gov.council.crm.case')!;

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    reference: 'CCC-2026-0004512',
    action: 'create',
    form: { code: 'WST_MISSED_BIN', name: 'Report a missed bin' },
    status: 'In Progress',
    statusNotes: 'Crew asked to return before 6pm',
    channel: 'Web form',
    submittedAt: '2026-06-04 09:12:33',
    lastUpdated: '2026-06-04 11:40:00',
    details: 'Grey bin not emptied, the rest of the street was done.',
    location: {
      uprn: '100071234567',
      usrn: '2700123',
      postcode: 'cv1 5rr',
      easting: '433512',
      northing: '279056',
      address: 'Council House, Earl Street, Coventry',
    },
    customer: { fullName: 'Aisha Rahman', email: 'Aisha.Rahman@example.org', phone: '024 7683 1234' },
    ...overrides,
  };
}

const failed = (result: MapResult): Extract<MapResult, { ok: false }> =>
  result as Extract<MapResult, { ok: false }>;

describe('coventry.crm.case-json (JSON events from Firmstep)', () => {
  it('is the mapping of Coventry CRM case events', () => {
    expect(mapping.id).toBe('coventry.crm.case-json');
  });

  it('maps a case event: status and channel through lookups keeping the originals, BST local time to UTC, the LGA service id', async () => {
    expect(await mapping.map(event())).toEqual({
      ok: true,
      recordId: 'CCC-2026-0004512',
      operation: 'upsert',
      warnings: [],
      data: {
        requestId: 'CCC-2026-0004512',
        service: { code: 'WST_MISSED_BIN', name: 'Report a missed bin', lgaServiceId: 524 },
        status: 'in-progress',
        statusLocal: 'In Progress',
        statusNotes: 'Crew asked to return before 6pm',
        channel: 'web',
        channelLocal: 'Web form',
        requestedAt: '2026-06-04T08:12:33.000Z',
        updatedAt: '2026-06-04T10:40:00.000Z',
        description: 'Grey bin not emptied, the rest of the street was done.',
        location: {
          uprn: '100071234567',
          usrn: '2700123',
          postcode: 'CV1 5RR',
          easting: 433512,
          northing: 279056,
          addressText: 'Council House, Earl Street, Coventry',
        },
        customer: { name: 'Aisha Rahman', email: 'aisha.rahman@example.org', phone: '024 7683 1234' },
      },
    });
  });

  it('maps a closed case in winter (GMT) with its closing time', async () => {
    const result = await mapping.map(
      event({
        status: 'Closed - No Action',
        submittedAt: '2026-01-12 16:05:00',
        closedAt: '2026-01-13 08:30:00',
      }),
    );
    expect(result.ok && result.data).toMatchObject({
      status: 'closed',
      statusLocal: 'Closed - No Action',
      requestedAt: '2026-01-12T16:05:00.000Z',
      closedAt: '2026-01-13T08:30:00.000Z',
    });
  });

  it('keeps a case whose service has no LGA Services List id, with a warning naming the field', async () => {
    const result = await mapping.map(event({ form: { code: 'ENV_DOG_FOUL', name: 'Dog fouling' } }));
    expect(result.ok && result.data['service']).toEqual({ code: 'ENV_DOG_FOUL', name: 'Dog fouling' });
    expect(result.ok && result.warnings).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'service.lgaServiceId',
        message:
          "service.lgaServiceId: path 'form.name' has a value that is not in lookup 'crm.lga-service-id' (rule: integer; mapping coventry.crm.case-json v1)",
      },
    ]);
  });

  it('reports a spreadsheet-mangled UPRN as a warning, leaves it empty and keeps the raw value as the source key', async () => {
    for (const raw of ['1.00071E+11', '0', '100071000000']) {
      const result = await mapping.map(event({ location: { uprn: raw, postcode: 'CV1 5RR' } }));
      expect(result.ok).toBe(true);
      expect(result.ok && result.data['location']).toEqual({ sourceKey: raw, postcode: 'CV1 5RR' });
      expect(result.ok && result.warnings.map((w) => [w.code, w.field])).toEqual([
        ['MAPPING.FIELD_INVALID', 'location.uprn'],
      ]);
    }
  });

  it('drops an unusable email or phone with a warning instead of losing the case', async () => {
    const result = await mapping.map(
      event({
        customer: { fullName: 'Aisha Rahman', email: 'aisha.rahman(at)example.org', phone: 'ring after 5' },
      }),
    );
    expect(result.ok && result.data['customer']).toEqual({ name: 'Aisha Rahman' });
    expect(result.ok && result.warnings.map((w) => w.field)).toEqual(['customer.email', 'customer.phone']);
  });

  it('maps an anonymous report without customer or location', async () => {
    const { customer: _c, location: _l, ...anonymous } = event();
    const result = await mapping.map(anonymous);
    expect(result.ok && result.data['customer']).toBeUndefined();
    expect(result.ok && result.data['location']).toBeUndefined();
  });

  it('maps a delete event to the record id alone', async () => {
    expect(await mapping.map({ reference: 'CCC-2026-0004512', action: 'delete' })).toEqual({
      ok: true,
      recordId: 'CCC-2026-0004512',
      operation: 'delete',
      data: {},
      warnings: [],
    });
  });

  it('rejects a case without a status or with a status it does not know, naming the field', async () => {
    expect(failed(await mapping.map(event({ status: '' }))).errors).toEqual([
      {
        code: 'MAPPING.FIELD_MISSING',
        field: 'status',
        message:
          "status is required but path 'status' is missing or empty (rule: enum; mapping coventry.crm.case-json v1)",
      },
    ]);
    expect(failed(await mapping.map(event({ status: 'Reopened' }))).errors).toEqual([
      expect.objectContaining({ code: 'MAPPING.FIELD_INVALID', field: 'status' }),
    ]);
  });

  it('rejects a case without a submission time or service code', async () => {
    const result = failed(await mapping.map(event({ submittedAt: null, form: { name: 'Pothole' } })));
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_MISSING', 'service.code'],
      ['MAPPING.FIELD_MISSING', 'requestedAt'],
    ]);
  });
});
