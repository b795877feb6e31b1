import { entityFields, generateEntitySchema, getPiiPaths } from '@hub/canonical';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { CONTRACT_TYPES, Employee, employeeEntity } from './employee.model';
import { absenceEntity } from './absence.model';
import { hrEntities } from './index';

/** Every violation as `path: constraint names`, and every message, flattened. */
function violations(errors: readonly ValidationError[], prefix = ''): { path: string; messages: string[] }[] {
  return errors.flatMap((e) => [
    ...(e.constraints === undefined
      ? []
      : [{ path: prefix + e.property, messages: Object.values(e.constraints) }]),
    ...violations(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

// Invented values in the canonical shape (no real person).
const valid = {
  employeeNumber: '00481234',
  postRef: 'POS-004512',
  jobTitle: 'Senior Social Worker',
  name: { title: 'Mrs', givenNames: 'Priya Anjali', familyName: 'Sharma', preferredName: 'Priya' },
  dateOfBirth: '1984-03-17',
  nationalInsuranceNumber: 'JT482917C',
  homeAddress: { line1: '14 Moat Street', town: 'Coventry', postcode: 'CV5 6EZ' },
  contact: { email: 'priya.sharma84@example.com', phone: '01632 960123', mobile: '07700 900123' },
  directorate: 'Children and Education',
  organisationalUnit: { code: 'CS-CSC-N', label: "Children's Social Care North" },
  costCentre: { code: 'C31220', label: 'Safeguarding North' },
  grade: { code: 'Grade 8', payScale: 'NJC', spinalColumnPoint: 29 },
  contract: { type: 'permanent', typeLocal: 'PERM', fte: 0.81081, contractedHours: 30 },
  startDate: '2019-04-01',
};

describe('hr.employee v1 model', () => {
  it('is registered as hub.hr.employee.v1, beside hr.absence', () => {
    expect(hrEntities).toEqual([employeeEntity, absenceEntity]);
    expect(employeeEntity).toMatchObject({
      name: 'hr.employee',
      domain: 'hr',
      entity: 'employee',
      version: 1,
      schemaId: 'hub.hr.employee.v1',
    });
  });

  it('marks the name, date of birth, NI number, home address and personal contact details as personal data, and nothing else', () => {
    const expected = [
      'contact.email',
      'contact.mobile',
      'contact.phone',
      'dateOfBirth',
      'homeAddress.county',
      'homeAddress.line1',
      'homeAddress.line2',
      'homeAddress.line3',
      'homeAddress.postcode',
      'homeAddress.town',
      'name.familyName',
      'name.givenNames',
      'name.preferredName',
      'name.title',
      'nationalInsuranceNumber',
    ];
    expect(getPiiPaths(Employee)).toEqual(expected);
    const published = entityFields(generateEntitySchema(employeeEntity))
      .filter((f) => f.pii)
      .map((f) => f.path)
      .sort();
    expect(published).toEqual(expected);
  });

  it('requires the employee number, the contract type and the start date, and nothing else', () => {
    const fields = entityFields(generateEntitySchema(employeeEntity));
    expect(fields.filter((f) => f.required).map((f) => f.path)).toEqual([
      'employeeNumber',
      'contract.type',
      'startDate',
    ]);
    // A name, when sent, has at least a family name.
    expect(fields.find((f) => f.path === 'name.familyName')?.requiredChain).toEqual([false, true]);
  });

  it('publishes the contract types as an enum and the spinal column point as an integer', () => {
    const fields = new Map(entityFields(generateEntitySchema(employeeEntity)).map((f) => [f.path, f]));
    expect(fields.get('contract.type')?.enum).toEqual([...CONTRACT_TYPES]);
    expect(CONTRACT_TYPES).toEqual(['permanent', 'fixed-term', 'casual', 'apprentice', 'agency']);
    expect(fields.get('grade.spinalColumnPoint')?.types).toEqual(['integer']);
    expect(fields.get('contract.fte')?.types).toEqual(['number']);
  });

  it('accepts a full employee, and a minimal one with every personal-data field withheld', () => {
    expect(validateSync(plainToInstance(Employee, valid))).toEqual([]);
    const minimal = { employeeNumber: '1', contract: { type: 'casual' }, startDate: '2026-01-05' };
    expect(validateSync(plainToInstance(Employee, minimal))).toEqual([]);
  });

  it('takes FTE to 5 decimal places, above 1 for hours beyond the standard week, and no further', () => {
    const withFte = (fte: number): Employee =>
      plainToInstance(Employee, { ...valid, contract: { type: 'permanent', fte } });
    expect(validateSync(withFte(0.81081))).toEqual([]);
    expect(validateSync(withFte(1.08108))).toEqual([]);
    expect(violations(validateSync(withFte(0.810811))).map((v) => v.path)).toEqual(['contract.fte']);
    expect(violations(validateSync(withFte(-0.5))).map((v) => v.path)).toEqual(['contract.fte']);
  });

  it('rejects an NI number HMRC never issues, an unknown contract type, a fractional spinal point, an end before the start', () => {
    const invalid = {
      ...valid,
      nationalInsuranceNumber: 'QQ123456C',
      contract: { type: 'zero-hours' },
      grade: { spinalColumnPoint: 23.5 },
      endDate: '2019-03-31',
      contact: { email: 'not-an-address', phone: 'ring reception' },
    };
    const found = violations(validateSync(plainToInstance(Employee, invalid)));
    expect(found.map((v) => v.path)).toEqual([
      'nationalInsuranceNumber',
      'contact.email',
      'contact.phone',
      'grade.spinalColumnPoint',
      'contract.type',
      'endDate',
    ]);
    expect(found.find((v) => v.path === 'endDate')?.messages).toEqual([
      'endDate must not be before startDate',
    ]);
    // Messages name properties and rules, never the values (personal data reaches DLQ headers otherwise).
    const text = found.flatMap((v) => v.messages).join('\n');
    for (const value of ['QQ123456C', 'zero-hours', '23.5', '2019-03-31', 'not-an-address', 'ring reception'])
      expect(text).not.toContain(value);
  });

  it('accepts an end date on the start date (a one-day casual engagement)', () => {
    const oneDay = { ...valid, contract: { type: 'casual' }, endDate: valid.startDate };
    expect(validateSync(plainToInstance(Employee, oneDay))).toEqual([]);
  });
});
