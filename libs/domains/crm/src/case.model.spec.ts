import { entityFields, generateEntitySchema, getPiiPaths } from '@hub/canonical';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Case, caseEntity } from './case.model';
import { crmEntities } from './index';

describe('crm.case v1 model', () => {
  it('is registered as hub.crm.case.v1', () => {
    expect(crmEntities).toEqual([caseEntity]);
    expect(caseEntity).toMatchObject({
      name: 'crm.case',
      domain: 'crm',
      entity: 'case',
      version: 1,
      schemaId: 'hub.crm.case.v1',
    });
  });

  it("marks the customer's name, email and phone and the free-text description as personal data", () => {
    expect(getPiiPaths(Case)).toEqual(['customer.email', 'customer.name', 'customer.phone', 'description']);
    expect(
      entityFields(generateEntitySchema(caseEntity))
        .filter((f) => f.pii)
        .map((f) => f.path)
        .sort(),
    ).toEqual(['customer.email', 'customer.name', 'customer.phone', 'description']);
  });

  it('requires the request id, service code, status and requested time, and nothing else', () => {
    const required = entityFields(generateEntitySchema(caseEntity))
      .filter((f) => f.required)
      .map((f) => f.path);
    expect(required).toEqual(['requestId', 'service.code', 'status', 'requestedAt']);
  });

  it('publishes the Open311 statuses and the five channels as enums', () => {
    const fields = new Map(entityFields(generateEntitySchema(caseEntity)).map((f) => [f.path, f]));
    expect(fields.get('status')?.enum).toEqual(['open', 'in-progress', 'closed']);
    expect(fields.get('channel')?.enum).toEqual(['web', 'phone', 'email', 'face-to-face', 'app']);
    expect(fields.get('location.uprn')?.types).toEqual(['string']);
  });

  const valid = {
    requestId: 'CAS-01234-X7Y8Z9',
    service: { code: 'SL-FAULT', name: 'Street light fault', lgaServiceId: 564 },
    status: 'in-progress',
    channel: 'web',
    requestedAt: '2026-03-04T09:12:33.000Z',
    location: {
      uprn: '100071005444',
      usrn: '2700123',
      postcode: 'B91 3QB',
      easting: 415234,
      northing: 279012,
    },
    customer: { name: 'Priya Sharma', email: 'priya.sharma@example.org', phone: '0121 704 6000' },
  };

  it('accepts a case with a 12-digit UPRN, grid reference and contact details', () => {
    expect(validateSync(plainToInstance(Case, valid))).toEqual([]);
  });

  it('accepts a case with no location or customer at all (an anonymous report)', () => {
    const { location: _l, customer: _c, ...anonymous } = valid;
    expect(validateSync(plainToInstance(Case, anonymous))).toEqual([]);
  });

  it('rejects a 13-digit UPRN, an unknown status, a local time, a malformed email, and longitude and latitude swapped', () => {
    const errors = validateSync(
      plainToInstance(Case, {
        ...valid,
        status: 'resolved',
        requestedAt: '2026-03-04 09:12:33',
        location: { uprn: '1000710054441', latitude: -1.78, longitude: 52.41 },
        customer: { email: 'priya.sharma at example.org' },
      }),
    );
    expect(errors.map((e) => e.property)).toEqual(['status', 'requestedAt', 'location', 'customer']);
    expect(errors[2]!.children!.map((e) => e.property)).toEqual(['latitude', 'longitude', 'uprn']);
    expect(errors[3]!.children!.map((e) => e.property)).toEqual(['email']);
  });

  it('never quotes the value in a validation message (messages reach DLQ headers)', () => {
    const errors = validateSync(
      plainToInstance(Case, {
        ...valid,
        customer: { name: 'x'.repeat(201), email: 'priya.sharma at example.org', phone: 'call me' },
      }),
      { validationError: { target: false, value: false } },
    );
    const messages = JSON.stringify(errors.flatMap((e) => e.children ?? []).map((c) => c.constraints));
    expect(messages).toContain('email');
    expect(messages).not.toContain('priya');
    expect(messages).not.toContain('call me');
    expect(messages).not.toContain('xxxx');
  });
});
