import { entityFields, generateEntitySchema, getPiiPaths } from '@hub/canonical';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Spend, spendEntity } from './spend.model';
import { financeEntities } from './index';

describe('finance.spend v1 model', () => {
  it('is registered as hub.finance.spend.v1', () => {
    expect(financeEntities).toEqual([spendEntity]);
    expect(spendEntity).toMatchObject({
      name: 'finance.spend',
      domain: 'finance',
      entity: 'spend',
      version: 1,
      schemaId: 'hub.finance.spend.v1',
    });
  });

  it('marks no field as personal data: the Transparency Code has payments to individuals redacted, and the hub keeps them only as supplier.redacted', () => {
    expect(getPiiPaths(Spend)).toEqual([]);
    expect(entityFields(generateEntitySchema(spendEntity)).filter((f) => f.pii)).toEqual([]);
  });

  it('requires the reference, date, amount and the redacted flag, and nothing else', () => {
    const required = entityFields(generateEntitySchema(spendEntity))
      .filter((f) => f.required)
      .map((f) => f.path);
    expect(required).toEqual(['transactionRef', 'paymentDate', 'netAmountPence', 'supplier.redacted']);
  });

  it('validates amounts as whole pence and identifiers by their published formats', () => {
    const valid = {
      transactionRef: 'PT348115,1',
      paymentDate: '2026-11-20',
      netAmountPence: -97400,
      supplier: { redacted: false, vatNumber: '812311285', companyNumber: 'SC123456' },
    };
    expect(validateSync(plainToInstance(Spend, valid))).toEqual([]);
    const invalid = {
      ...valid,
      netAmountPence: 12.5,
      paymentDate: '20/11/2026',
      supplier: { redacted: false, vatNumber: 'GB812311285', companyNumber: '1234' },
    };
    const errors = validateSync(plainToInstance(Spend, invalid));
    expect(errors.map((e) => e.property)).toEqual(['paymentDate', 'netAmountPence', 'supplier']);
    expect(errors[2]!.children!.map((e) => e.property)).toEqual(['companyNumber', 'vatNumber']);
  });
});
