import { IsOptional, IsString } from 'class-validator';
import { IsNino } from './canonical-field.decorators';
import { defineEntity } from './entity-definition.model';
import { Nested } from './nested.decorator';
import { getPiiPaths, ownPiiFields, Pii } from './pii.decorator';
import { generateEntitySchema } from './schema.generator';

class PiiContact {
  @Pii()
  @IsString()
  email!: string;

  @IsString()
  channel!: string;
}

class PiiPerson {
  @Pii()
  @IsString()
  name!: string;

  @IsOptional()
  @IsNino()
  nino?: string;

  @Nested(() => PiiContact, { each: true })
  contacts!: PiiContact[];
}

class PiiBase {
  @Pii()
  @IsString()
  homeAddress!: string;
}

class PiiEmployee extends PiiBase {
  @IsString()
  employeeNumber!: string;

  @IsOptional()
  @Nested(() => PiiPerson)
  nextOfKin?: PiiPerson;
}

describe('@Pii()', () => {
  it('lists personal-data fields, nested and inherited ones included, as sorted dotted paths', () => {
    expect(getPiiPaths(PiiEmployee)).toEqual([
      'homeAddress',
      'nextOfKin.contacts[].email',
      'nextOfKin.name',
      'nextOfKin.nino',
    ]);
    expect(ownPiiFields(PiiContact)).toEqual(['email']);
  });

  it('marks NINO fields as PII through @IsNino()', () => {
    expect(ownPiiFields(PiiPerson)).toContain('nino');
  });

  it('publishes the marks in the JSON Schema as x-pii', () => {
    const schema = generateEntitySchema(
      defineEntity({ domain: 'hr', entity: 'pii-test', version: 1, model: PiiEmployee, description: 'test' }),
    );
    expect(schema.properties?.['homeAddress']?.['x-pii']).toBe(true);
    expect(schema.properties?.['employeeNumber']?.['x-pii']).toBeUndefined();
    expect(schema.definitions?.['PiiPerson']?.properties?.['name']?.['x-pii']).toBe(true);
    expect(schema.definitions?.['PiiContact']?.properties?.['email']?.['x-pii']).toBe(true);
    expect(schema.definitions?.['PiiContact']?.properties?.['channel']?.['x-pii']).toBeUndefined();
  });
});
