import { entityFields, generateEntitySchema, getPiiPaths } from '@hub/canonical';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Collection, collectionEntity } from './collection.model';
import { flytipEntity } from './flytip.model';
import { wasteEntities } from './index';

describe('waste.collection v1 model', () => {
  it('is registered as hub.waste.collection.v1 beside waste.flytip', () => {
    expect(wasteEntities).toEqual([collectionEntity, flytipEntity]);
    expect(collectionEntity).toMatchObject({ name: 'waste.collection', schemaId: 'hub.waste.collection.v1' });
  });

  it('marks no field as personal data', () => {
    expect(getPiiPaths(Collection)).toEqual([]);
  });

  it('requires the service category, scheduled date and outcome; the property is required but each of its identifiers is optional', () => {
    const fields = entityFields(generateEntitySchema(collectionEntity));
    expect(fields.filter((f) => f.required).map((f) => f.path)).toEqual([
      'service.category',
      'scheduledDate',
      'outcome',
    ]);
    const byPath = new Map(fields.map((f) => [f.path, f]));
    expect(byPath.get('property.uprn')?.requiredChain).toEqual([true, false]);
    expect(byPath.get('service.category')?.enum).toEqual([
      'refuse',
      'recycling',
      'garden',
      'food',
      'glass',
      'bulky',
      'other',
    ]);
    expect(byPath.get('outcome')?.enum).toEqual([
      'completed',
      'missed',
      'not-presented',
      'contaminated',
      'no-access',
      'cancelled',
    ]);
  });

  it('accepts a property known only by its source key, and rejects a collection with no property at all', () => {
    const base = {
      service: { category: 'garden', localName: 'Garden/Food' },
      scheduledDate: '2021-01-05',
      outcome: 'not-presented',
    };
    expect(validateSync(plainToInstance(Collection, { ...base, property: { sourceKey: '10273' } }))).toEqual(
      [],
    );
    expect(validateSync(plainToInstance(Collection, base)).map((e) => e.property)).toEqual(['property']);
  });

  it('rejects a UPRN that is not 1 to 12 digits, and an outcome outside the list', () => {
    const errors = validateSync(
      plainToInstance(Collection, {
        property: { uprn: '1.00023E+11' },
        service: { category: 'refuse' },
        scheduledDate: '2023-03-03',
        outcome: 'emptied',
      }),
    );
    expect(errors.map((e) => e.property)).toEqual(['property', 'outcome']);
  });
});
