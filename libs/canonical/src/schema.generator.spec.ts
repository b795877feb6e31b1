import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Describe, IsIsoDate, IsPence } from './canonical-field.decorators';
import { defineEntity } from './entity-definition.model';
import { Nested } from './nested.decorator';
import { PropertyRef } from './property-ref.model';
import { entityFields, generateEntitySchema, generateSchemas } from './schema.generator';

class GenLine {
  @IsString()
  @Describe('line reference')
  ref!: string;

  @IsOptional()
  @IsPence()
  amountPence?: number;
}

class GenCase {
  @IsString()
  @MaxLength(20)
  @Describe('Case id')
  caseId!: string;

  @IsIsoDate()
  opened!: string;

  @IsPence()
  costPence!: number;

  @IsIn(['open', 'closed'])
  status!: string;

  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  @IsOptional()
  @Nested(() => PropertyRef)
  property?: PropertyRef;

  @IsOptional()
  @Nested(() => GenLine, { each: true })
  lines?: GenLine[];
}

const genEntity = defineEntity({
  domain: 'crm',
  entity: 'gen-case',
  version: 1,
  model: GenCase,
  description: 'A test case.',
});

describe('generateEntitySchema', () => {
  const schema = generateEntitySchema(genEntity);

  it('describes the entity at the root with its schema id', () => {
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'hub.crm.gen-case.v1',
      title: 'crm.gen-case',
      description: 'A test case.',
      type: 'object',
      required: ['caseId', 'opened', 'costPence', 'status'],
    });
  });

  it('derives each property from its class-validator rules and the hub decorators', () => {
    expect(schema.properties?.['caseId']).toEqual({ type: 'string', maxLength: 20, description: 'Case id' });
    expect(schema.properties?.['opened']).toMatchObject({ type: 'string', format: 'date' });
    expect(schema.properties?.['costPence']).toMatchObject({
      type: 'integer',
      minimum: -1e13,
      maximum: 1e13,
    });
    expect(schema.properties?.['status']).toMatchObject({ type: 'string', enum: ['open', 'closed'] });
    expect(schema.properties?.['urgent']).toEqual({ type: 'boolean' });
  });

  it('puts nested classes in definitions, referenced by $ref (arrays through items)', () => {
    expect(schema.properties?.['property']).toEqual({ $ref: '#/definitions/PropertyRef' });
    expect(schema.properties?.['lines']).toEqual({ type: 'array', items: { $ref: '#/definitions/GenLine' } });
    expect(Object.keys(schema.definitions ?? {})).toEqual(['GenLine', 'PropertyRef']);
    expect(schema.definitions?.['PropertyRef']?.properties?.['uprn']).toMatchObject({
      type: 'string',
      pattern: '^\\d{1,12}$',
    });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(generateEntitySchema(genEntity))).toBe(JSON.stringify(schema));
  });

  it('refuses two entities with one schema id', () => {
    expect(() => generateSchemas([genEntity, genEntity])).toThrow('hub.crm.gen-case.v1');
  });
});

describe('entityFields', () => {
  it('lists leaf fields with their types, requiredness and enums, following $refs', () => {
    const fields = new Map(entityFields(generateEntitySchema(genEntity)).map((f) => [f.path, f]));
    expect([...fields.keys()]).toEqual([
      'caseId',
      'opened',
      'costPence',
      'status',
      'urgent',
      'property.uprn',
      'property.usrn',
      'property.sourceKey',
      'property.postcode',
      'lines',
    ]);
    expect(fields.get('caseId')).toMatchObject({
      types: ['string'],
      required: true,
      requiredChain: [true],
      pii: false,
    });
    expect(fields.get('costPence')?.types).toEqual(['integer']);
    expect(fields.get('status')?.enum).toEqual(['open', 'closed']);
    expect(fields.get('property.uprn')).toMatchObject({ required: false, requiredChain: [false, false] });
    expect(fields.get('lines')?.types).toEqual(['array']);
  });
});

describe('defineEntity', () => {
  it('derives name and schema id, and rejects malformed names and versions', () => {
    expect(genEntity.name).toBe('crm.gen-case');
    expect(() =>
      defineEntity({ domain: 'CRM', entity: 'x', version: 1, model: GenCase, description: '' }),
    ).toThrow('kebab');
    expect(() =>
      defineEntity({ domain: 'crm', entity: 'x', version: 0, model: GenCase, description: '' }),
    ).toThrow('version');
  });
});
