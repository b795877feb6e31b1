import { entityFields, generateEntitySchema, getPiiPaths } from '@hub/canonical';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ABSENCE_CATEGORIES, Absence, absenceEntity } from './absence.model';

// Invented values in the canonical shape.
const valid = {
  employeeNumber: '00481234',
  absenceRef: '9102235',
  category: 'sickness',
  categoryLocal: 'SICK',
  reason: { code: 'S10', label: 'Stress, depression, anxiety' },
  startDate: '2026-11-02',
  endDate: '2026-11-06',
  durationDays: 5,
  durationHours: 37,
};

describe('hr.absence v1 model', () => {
  it('is registered as hub.hr.absence.v1', () => {
    expect(absenceEntity).toMatchObject({
      name: 'hr.absence',
      domain: 'hr',
      entity: 'absence',
      version: 1,
      schemaId: 'hub.hr.absence.v1',
    });
  });

  it('marks the absence reason as personal data (health data for sickness), and nothing else', () => {
    expect(getPiiPaths(Absence)).toEqual(['reason.code', 'reason.label']);
    expect(
      entityFields(generateEntitySchema(absenceEntity))
        .filter((f) => f.pii)
        .map((f) => f.path),
    ).toEqual(['reason.code', 'reason.label']);
  });

  it('requires the employee number, the category and the first day, and nothing else', () => {
    const fields = entityFields(generateEntitySchema(absenceEntity));
    expect(fields.filter((f) => f.required).map((f) => f.path)).toEqual([
      'employeeNumber',
      'category',
      'startDate',
    ]);
    expect(fields.find((f) => f.path === 'category')?.enum).toEqual([...ABSENCE_CATEGORIES]);
    expect(ABSENCE_CATEGORIES).toEqual(['sickness', 'annual-leave', 'parental', 'other']);
  });

  it('accepts a closed spell, an open one (no last day, nothing counted yet) and a half day', () => {
    expect(validateSync(plainToInstance(Absence, valid))).toEqual([]);
    const open = { employeeNumber: '1', category: 'sickness', startDate: '2026-11-02' };
    expect(validateSync(plainToInstance(Absence, open))).toEqual([]);
    const half = {
      ...valid,
      category: 'annual-leave',
      endDate: '2026-11-02',
      durationDays: 0.5,
      durationHours: 3.7,
    };
    expect(validateSync(plainToInstance(Absence, half))).toEqual([]);
  });

  it('rejects an unknown category, a last day before the first, negative or over-precise durations', () => {
    const invalid = {
      ...valid,
      category: 'sick',
      endDate: '2026-11-01',
      durationDays: -1,
      durationHours: 7.125,
    };
    const errors = validateSync(plainToInstance(Absence, invalid));
    expect(errors.map((e) => e.property)).toEqual(['category', 'endDate', 'durationDays', 'durationHours']);
    const text = errors.flatMap((e) => Object.values(e.constraints ?? {})).join('\n');
    for (const value of ['2026-11-01', '7.125']) expect(text).not.toContain(value);
  });
});
