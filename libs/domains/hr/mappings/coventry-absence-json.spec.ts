import { dataOf, errorsOf, hrRegistry } from '../src/fixtures/hr-registry.fixture';

// Inline fixtures in the demo's assumed iTrent absence event layout (invented values; no council published these).
const mapping = hrRegistry().forEvent('coventry', 'hr', 'uk.gov.council.hr.absence')!;

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    changeType: 'NEW',
    absenceId: 9102235,
    personNumber: '00481234',
    absenceType: 'SICK',
    reason: { code: 'S10', description: 'Stress, depression, anxiety, mental health and fatigue' },
    firstDay: '2026-11-02T00:00:00',
    lastDay: '2026-11-06T00:00:00',
    daysLost: 5,
    hoursLost: 37,
    ...overrides,
  };
}

describe('coventry.hr.absence-json (JSON events from iTrent)', () => {
  it('maps a closed sickness spell: a numeric absence id, date-times at midnight, days and hours lost', async () => {
    expect(await mapping.map(event())).toEqual({
      ok: true,
      recordId: '9102235',
      operation: 'upsert',
      warnings: [],
      data: {
        employeeNumber: '00481234',
        absenceRef: '9102235',
        category: 'sickness',
        categoryLocal: 'SICK',
        reason: { code: 'S10', label: 'Stress, depression, anxiety, mental health and fatigue' },
        startDate: '2026-11-02',
        endDate: '2026-11-06',
        durationDays: 5,
        durationHours: 37,
      },
    });
  });

  it('maps an open sickness spell (no last day yet, nothing counted) and a half day of annual leave', async () => {
    expect(dataOf(await mapping.map(event({ lastDay: null, daysLost: null, hoursLost: null })))).toEqual({
      employeeNumber: '00481234',
      absenceRef: '9102235',
      category: 'sickness',
      categoryLocal: 'SICK',
      reason: { code: 'S10', label: 'Stress, depression, anxiety, mental health and fatigue' },
      startDate: '2026-11-02',
    });
    const half = event({
      absenceType: 'AL',
      reason: null,
      firstDay: '2026-12-24T00:00:00',
      lastDay: '2026-12-24T00:00:00',
      daysLost: 0.5,
      hoursLost: 3.7,
    });
    expect(dataOf(await mapping.map(half))).toMatchObject({
      category: 'annual-leave',
      categoryLocal: 'AL',
      durationDays: 0.5,
      durationHours: 3.7,
    });
  });

  it.each([
    ['SICK', 'sickness'],
    ['INJURY', 'sickness'],
    ['AL', 'annual-leave'],
    ['MAT', 'parental'],
    ['PAT', 'parental'],
    ['ADOPT', 'parental'],
    ['SPL', 'parental'],
    ['COMP', 'other'],
    ['JURY', 'other'],
    ['TOIL', 'other'],
  ])('maps the local absence type %s onto %s, keeping the original', async (local, canonical) => {
    expect(dataOf(await mapping.map(event({ absenceType: local })))).toMatchObject({
      category: canonical,
      categoryLocal: local,
    });
  });

  it('maps CANCEL (a cancelled booking) to a delete', async () => {
    expect(await mapping.map({ changeType: 'CANCEL', absenceId: 9102235 })).toEqual({
      ok: true,
      recordId: '9102235',
      operation: 'delete',
      data: {},
      warnings: [],
    });
  });

  it('rejects an absence without a first day or employee, naming the fields', async () => {
    const errors = errorsOf(await mapping.map(event({ firstDay: '', personNumber: null })));
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['MAPPING.FIELD_MISSING', 'employeeNumber'],
      ['MAPPING.FIELD_MISSING', 'startDate'],
    ]);
    expect(errors[1]!.message).toBe(
      "startDate is required but path 'firstDay' is missing or empty (rule: date; mapping coventry.hr.absence-json v1)",
    );
  });

  it('rejects an absence type missing from the lookup, and a last day before the first', async () => {
    expect(errorsOf(await mapping.map(event({ absenceType: 'SABBATICAL' })))).toEqual([
      {
        code: 'MAPPING.FIELD_INVALID',
        field: 'category',
        message:
          "category: path 'absenceType' has a value that is not in lookup 'absenceType' (rule: enum; mapping coventry.hr.absence-json v1)",
      },
    ]);
    expect(
      errorsOf(await mapping.map(event({ lastDay: '2026-11-01T00:00:00' }))).map((e) => [e.code, e.field]),
    ).toEqual([['MAPPING.FIELD_INVALID', 'endDate']]);
  });
});
