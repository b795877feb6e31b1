import { dataOf, errorsOf, hrRegistry } from '../src/fixtures/hr-registry.fixture';

// Inline fixtures in the demo's assumed iTrent event layout. Invented people and values: names from
// common UK name lists, NI numbers in HMRC's format, Ofcom's drama numbers (01632 960xxx, 07700 900xxx)
// and example.com addresses; no council published these.
const mapping = hrRegistry().forEvent('coventry', 'hr', 'uk.gov.council.hr.employee')!;

type Json = Record<string, unknown>;

function event(overrides: { person?: Json; appointment?: Json; top?: Json } = {}): Record<string, unknown> {
  return {
    changeType: 'AMEND',
    personNumber: '00481234',
    appointmentNumber: 1,
    person: {
      title: 'Mrs',
      forenames: 'Priya Anjali',
      surname: 'Sharma',
      knownAs: 'Priya',
      dateOfBirth: '1984-03-17T00:00:00',
      niNumber: 'JT 48 29 17 C',
      address: {
        line1: '14 Moat Street',
        line2: 'Earlsdon',
        line3: null,
        town: 'Coventry',
        county: 'West Midlands',
        postcode: 'cv5 6ez',
      },
      personalEmail: 'Priya.Sharma84@Example.com',
      homePhone: '01632 960123',
      mobilePhone: '07700 900123',
      ...overrides.person,
    },
    appointment: {
      positionId: 'POS-004512',
      jobTitle: 'Senior Social Worker',
      directorate: 'Children and Education',
      orgUnit: { id: 'CS-CSC-N', name: "Children's Social Care North" },
      costCentre: { id: 'C31220', name: 'Safeguarding North' },
      grade: { code: 'Grade 8', payScale: 'NJC', spinalPoint: 29 },
      contractType: 'PERM',
      fte: 0.81081,
      hoursPerWeek: 30,
      startDate: '2019-04-01T00:00:00',
      endDate: null,
      leavingReason: null,
      ...overrides.appointment,
    },
    ...overrides.top,
  };
}

describe('coventry.hr.employee-json (JSON events from iTrent)', () => {
  it('is the mapping of Coventry employee events', () => {
    expect(mapping.id).toBe('coventry.hr.employee-json');
    expect(mapping.entity.name).toBe('hr.employee');
  });

  it('maps a person and appointment: ISO date-times at midnight, a spaced NI number, a lower-case postcode, FTE to 5 places', async () => {
    expect(await mapping.map(event())).toEqual({
      ok: true,
      recordId: '00481234/1',
      operation: 'upsert',
      warnings: [],
      data: {
        employeeNumber: '00481234',
        postRef: 'POS-004512',
        jobTitle: 'Senior Social Worker',
        name: { title: 'Mrs', givenNames: 'Priya Anjali', familyName: 'Sharma', preferredName: 'Priya' },
        dateOfBirth: '1984-03-17',
        nationalInsuranceNumber: 'JT482917C',
        homeAddress: {
          line1: '14 Moat Street',
          line2: 'Earlsdon',
          town: 'Coventry',
          county: 'West Midlands',
          postcode: 'CV5 6EZ',
        },
        contact: { email: 'priya.sharma84@example.com', phone: '01632 960123', mobile: '07700 900123' },
        directorate: 'Children and Education',
        organisationalUnit: { code: 'CS-CSC-N', label: "Children's Social Care North" },
        costCentre: { code: 'C31220', label: 'Safeguarding North' },
        grade: { code: 'Grade 8', payScale: 'NJC', spinalColumnPoint: 29 },
        contract: { type: 'permanent', typeLocal: 'PERM', fte: 0.81081, contractedHours: 30 },
        startDate: '2019-04-01',
      },
    });
  });

  it.each([
    ['PERM', 'permanent'],
    ['FTC', 'fixed-term'],
    ['temp', 'fixed-term'],
    ['Relief', 'casual'],
    ['SESS', 'casual'],
    ['APPR', 'apprentice'],
    ['AGENCY', 'agency'],
  ])('maps the local contract type %s onto %s, keeping the original', async (local, canonical) => {
    const data = dataOf(await mapping.map(event({ appointment: { contractType: local } })));
    expect(data['contract']).toMatchObject({ type: canonical, typeLocal: local });
  });

  it('maps a leaver with the leaving date and reason, and a second appointment of the same person as its own record', async () => {
    const leaver = await mapping.map(
      event({
        top: { changeType: 'LEAVER', appointmentNumber: 2 },
        appointment: {
          positionId: 'POS-007730',
          contractType: 'CASUAL',
          fte: null,
          hoursPerWeek: 0,
          grade: { code: 'Grade 3', payScale: 'NJC', spinalPoint: 5 },
          startDate: '2021-09-06T00:00:00',
          endDate: '2026-10-31T00:00:00',
          leavingReason: 'Resignation - other employment',
        },
      }),
    );
    expect(leaver).toMatchObject({ ok: true, recordId: '00481234/2', operation: 'upsert' });
    expect(dataOf(leaver)).toMatchObject({
      postRef: 'POS-007730',
      contract: { type: 'casual', typeLocal: 'CASUAL', contractedHours: 0 },
      grade: { spinalColumnPoint: 5 },
      startDate: '2021-09-06',
      endDate: '2026-10-31',
      leaverReason: 'Resignation - other employment',
    });
    expect(dataOf(leaver)['contract']).not.toHaveProperty('fte');
  });

  it('maps PURGE (the retention-period deletion) to a delete carrying only the record id', async () => {
    expect(
      await mapping.map({ changeType: 'PURGE', personNumber: '00481234', appointmentNumber: 1 }),
    ).toEqual({ ok: true, recordId: '00481234/1', operation: 'delete', data: {}, warnings: [] });
  });

  it('drops an unusable postcode, email or phone with a warning instead of losing the employee', async () => {
    const result = await mapping.map(
      event({
        person: {
          address: { line1: '14 Moat Street', town: 'Coventry', postcode: 'CV99' },
          personalEmail: 'priya.sharma84 at example.com',
          homePhone: 'ex-directory',
        },
      }),
    );
    const data = dataOf(result);
    expect(data['homeAddress']).toEqual({ line1: '14 Moat Street', town: 'Coventry' });
    expect(data['contact']).toEqual({ mobile: '07700 900123' });
    expect(result.ok && result.warnings.map((w) => [w.code, w.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'homeAddress.postcode'],
      ['MAPPING.FIELD_INVALID', 'contact.email'],
      ['MAPPING.FIELD_INVALID', 'contact.phone'],
    ]);
  });

  it('rejects an invalid NI number with MAPPING.FIELD_INVALID naming the field, never the value', async () => {
    const errors = errorsOf(await mapping.map(event({ person: { niNumber: 'QQ 12 34 56 C' } })));
    expect(errors).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'nationalInsuranceNumber',
        message:
          "nationalInsuranceNumber: path 'person.niNumber' is not a National Insurance number (HMRC format AB123456C) (rule: nino; mapping coventry.hr.employee-json v1)",
      },
    ]);
  });

  it('rejects an employee without a start date or a contract type, naming each field', async () => {
    const errors = errorsOf(await mapping.map(event({ appointment: { startDate: null, contractType: '' } })));
    expect(errors).toEqual([
      {
        code: 'MAPPING.FIELD_MISSING',
        field: 'contract.type',
        message:
          "contract.type is required but path 'appointment.contractType' is missing or empty (rule: enum; mapping coventry.hr.employee-json v1)",
      },
      {
        code: 'MAPPING.FIELD_MISSING',
        field: 'startDate',
        message:
          "startDate is required but path 'appointment.startDate' is missing or empty (rule: date; mapping coventry.hr.employee-json v1)",
      },
    ]);
  });

  it('rejects a contract type missing from the lookup, an FTE of 6 places and a leaving date before the start', async () => {
    const errors = errorsOf(
      await mapping.map(
        event({ appointment: { contractType: 'SECONDMENT', fte: 0.810811, endDate: '2019-03-31T00:00:00' } }),
      ),
    );
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_INVALID', 'contract.type'],
      ['MAPPING.FIELD_INVALID', 'contract.fte'],
    ]);
    expect(errors[0]!.message).toBe(
      "contract.type: path 'appointment.contractType' has a value that is not in lookup 'contractType' (rule: enum; mapping coventry.hr.employee-json v1)",
    );
    const ended = errorsOf(await mapping.map(event({ appointment: { endDate: '2019-03-31T00:00:00' } })));
    expect(ended).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'endDate',
        message:
          'endDate breaks the canonical rule isNotBefore of hub.hr.employee.v1: endDate must not be before startDate (mapping coventry.hr.employee-json v1)',
      },
    ]);
  });
});
