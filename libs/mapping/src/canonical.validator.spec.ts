import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PropertyRef } from '@hub/canonical';
import { compileCanonicalValidator, compileInstantiator } from './canonical.validator';
import { TestCase, testCaseEntity } from './fixtures/test-case.fixture';

describe('compileCanonicalValidator', () => {
  const validate = compileCanonicalValidator(testCaseEntity);
  const valid = {
    caseRef: 'C-1',
    opened: '2026-11-20',
    urgent: false,
    landType: 'Other',
    property: { uprn: '123', postcode: 'CV1 5RR' },
  };

  it('accepts valid data', () => {
    expect(validate(valid)).toEqual([]);
  });

  it('locates violations by dotted path, naming the rule and the schema, never the value', () => {
    const violations = validate({ ...valid, opened: 'SECRET-1', property: { uprn: 'SECRET-2' } });
    expect(violations.map((v) => v.path)).toEqual(['opened', 'property.uprn']);
    expect(violations[1]!.message).toBe(
      'property.uprn breaks the canonical rule matches of hub.crm.test-case.v1: uprn must be a UPRN (1 to 12 digits)',
    );
    expect(JSON.stringify(violations)).not.toContain('SECRET');
  });

  it('builds the same instances as class-transformer plainToInstance, with the same verdicts', () => {
    const instantiate = compileInstantiator(TestCase);
    for (const data of [valid, { ...valid, property: { uprn: 'x' } }, { caseRef: '', landType: 'nope' }]) {
      const ours = instantiate(data);
      const theirs = plainToInstance(TestCase, data);
      expect(ours).toBeInstanceOf(TestCase);
      expect(ours).toEqual(theirs);
      if ('property' in data) expect((ours as TestCase).property).toBeInstanceOf(PropertyRef);
      const verdict = (o: object): string[] => validateSync(o).map((e) => e.property);
      expect(verdict(ours)).toEqual(verdict(theirs));
    }
  });
});
