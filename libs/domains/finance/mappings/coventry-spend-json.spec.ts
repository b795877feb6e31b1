import type { MapResult } from '@hub/mapping';
import { financeRegistry } from '../src/fixtures/real-spend-files.fixture';

// Inline fixtures in the demo's assumed Agresso event layout (invented values; no council published these).
const mapping = financeRegistry().forEvent('coventry', 'finance', 'uk.gov.council.finance.spend')!;

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    voucherNo: 'PT348115',
    sequenceNo: 1,
    recordAction: 'I',
    paymentDate: '2026-11-20',
    amounts: { net: 1234.56, irrecoverableVat: 0 },
    supplier: {
      id: 'S100234',
      name: 'Midland Highways Ltd',
      type: 'Company',
      companyNo: '01234567',
      vatRegNo: 'GB 123 4567 89',
    },
    directorate: 'Transport and Infrastructure',
    costCentre: { code: 'CC4120', name: 'Highways Maintenance' },
    service: { label: 'Highways and transport services', sercopCode: 'HT' },
    account: { code: '4120', name: 'Repairs and maintenance' },
    description: 'Pothole repairs, Earlsdon ward',
    payment: { method: 'BACS' },
    proclass: '191400',
    contractRef: 'CCC-2024-117',
    invoiceNo: 'INV-88211',
    ...overrides,
  };
}

describe('coventry.finance.spend-json (JSON events from Agresso)', () => {
  it('maps a payment event, joining voucher and line into the real reference form', async () => {
    expect(await mapping.map(event())).toEqual({
      ok: true,
      recordId: 'PT348115,1',
      operation: 'upsert',
      warnings: [],
      data: {
        transactionRef: 'PT348115,1',
        paymentDate: '2026-11-20',
        netAmountPence: 123456,
        irrecoverableVatPence: 0,
        supplier: {
          name: 'Midland Highways Ltd',
          localId: 'S100234',
          companyNumber: '01234567',
          vatNumber: '123456789',
          category: 'Company',
          redacted: false,
        },
        department: 'Transport and Infrastructure',
        organisationalUnit: { code: 'CC4120', label: 'Highways Maintenance' },
        serviceArea: { label: 'Highways and transport services', sercopCode: 'HT' },
        expenseType: { code: '4120', label: 'Repairs and maintenance' },
        purpose: 'Pothole repairs, Earlsdon ward',
        card: { isCardTransaction: false },
        proclassCode: '191400',
        contractRef: 'CCC-2024-117',
        invoiceRef: 'INV-88211',
      },
    });
  });

  it('maps a procurement-card transaction with its merchant category code', async () => {
    const result = await mapping.map(
      event({ voucherNo: 'PC900112', payment: { method: 'P-Card', mcc: '5411' }, amounts: { net: 23.99 } }),
    );
    expect(result.ok && result.data).toMatchObject({
      transactionRef: 'PC900112,1',
      netAmountPence: 2399,
      card: { isCardTransaction: true, merchantCategoryCode: '5411' },
    });
  });

  it('keeps a payment to an individual, redacted by the source, with every supplier identifier left out', async () => {
    const result = await mapping.map(
      event({
        supplier: { id: 'S555001', name: 'REDACTED UNDER DP ACT', type: 'Individual', vatRegNo: '987654321' },
        invoiceNo: 'REDACTED UNDER DP ACT',
      }),
    );
    expect(result.ok && result.data['supplier']).toEqual({ category: 'Individual', redacted: true });
    expect(result.ok && result.data['invoiceRef']).toBeUndefined();
  });

  it('drops an unusable optional identifier with a warning instead of losing the payment', async () => {
    const result = await mapping.map(
      event({ supplier: { id: 'S1', name: 'Acme', companyNo: '1234', vatRegNo: 'IE6388047V' } }),
    );
    expect(result.ok && result.data['supplier']).toEqual({ name: 'Acme', localId: 'S1', redacted: false });
    expect(result.ok && result.warnings.map((w) => w.field)).toEqual([
      'supplier.vatNumber',
      'supplier.companyNumber',
    ]);
  });

  it('maps a delete event to the record id alone', async () => {
    expect(await mapping.map({ voucherNo: 'PT348115', sequenceNo: 1, recordAction: 'D' })).toEqual({
      ok: true,
      recordId: 'PT348115,1',
      operation: 'delete',
      data: {},
      warnings: [],
    });
  });

  it('rejects an event without an amount or with an amount of more than two decimals, naming the field', async () => {
    const missing = (await mapping.map(event({ amounts: {} }))) as Extract<MapResult, { ok: false }>;
    expect(missing.errors).toEqual([
      expect.objectContaining({ code: 'MAPPING.FIELD_MISSING', field: 'netAmountPence' }),
    ]);
    const precise = (await mapping.map(event({ amounts: { net: 1.234 } }))) as Extract<
      MapResult,
      { ok: false }
    >;
    expect(precise.errors[0]!.message).toBe(
      "netAmountPence: path 'amounts.net' has more than 2 decimal places (rule: pence; mapping coventry.finance.spend-json v1)",
    );
  });
});
