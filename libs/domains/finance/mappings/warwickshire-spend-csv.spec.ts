import type { MapResult } from '@hub/mapping';
import { financeRegistry, readRealCsv } from '../src/fixtures/real-spend-files.fixture';

// Real rows of shared/data/councils/warwickshire/all-december-2018.csv (Warwickshire County Council, Windows-1252).
const file = readRealCsv('warwickshire/all-december-2018.csv', 'win1252');
const mapping = financeRegistry().forFile('warwickshire', 'finance', 'csv')!;
/** Maps the row a spreadsheet shows as `row` (the header is row 1, so the first payment is row 2). */
const mapRow = (row: number): Promise<MapResult> => mapping.map(file.rows[row - 2], { row });
const lastRow = file.rows.length + 1;

describe('warwickshire.finance.spend-csv on the real published file', () => {
  it('is the mapping of Warwickshire finance CSV uploads', () => {
    expect(mapping.id).toBe('warwickshire.finance.spend-csv');
    expect(file.header).toEqual([
      'Supplier id',
      'Supplier Name',
      'Transno',
      'Account',
      'Description',
      'Amount',
      'Pay Date',
      'Group',
    ]);
  });

  it('maps row 2, the first payment (a quoted amount with a thousands separator, a dd/mm/yyyy date)', async () => {
    expect(await mapRow(2)).toEqual({
      ok: true,
      recordId: '51465244#2',
      operation: 'upsert',
      warnings: [],
      data: {
        transactionRef: '51465244',
        paymentDate: '2018-12-04',
        netAmountPence: 200000,
        supplier: { name: '11th Nuneaton (Weddington) Scout Group', localId: '999982', redacted: false },
        expenseType: { code: 'R5501', label: 'Grants / Donations to External Organisations' },
        department: 'Communities',
      },
    });
  });

  it('maps row 7, which has no supplier id and no account', async () => {
    const result = await mapRow(7);
    expect(result).toMatchObject({ ok: true, recordId: '9192#7' });
    expect(result.ok && result.data).toEqual({
      transactionRef: '9192',
      paymentDate: '2018-12-11',
      netAmountPence: 133320,
      supplier: { name: '2jba007535003 Ukvi', redacted: false },
      department: 'Communities',
    });
  });

  it('keeps a redacted credit note (row 1710), flagged and without name or id', async () => {
    const result = await mapRow(1710);
    expect(result.ok && result.data).toEqual({
      transactionRef: '50383525',
      paymentDate: '2018-12-05',
      netAmountPence: -97400,
      supplier: { redacted: true },
      expenseType: { code: 'R2204', label: 'Room Hire - External' },
      department: 'Communities',
    });
  });

  it('gives lines sharing a transaction number distinct record ids', async () => {
    const ids = new Set<string>();
    for (let row = 2; row <= lastRow; row++) {
      const result = await mapRow(row);
      if (result.ok) ids.add(result.recordId);
    }
    expect(ids.size).toBe(file.rows.length - 1);
  });

  it('sends row 228 (£2.8m with no transaction number) to the DLQ naming the fields, and maps every other row', async () => {
    const failures: [number, MapResult][] = [];
    for (let row = 2; row <= lastRow; row++) {
      const result = await mapRow(row);
      if (!result.ok) failures.push([row, result]);
    }
    expect(failures.map(([row]) => row)).toEqual([228]);
    expect(failures[0]![1]).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ code: 'MAPPING.FIELD_MISSING', field: 'recordId' }),
        expect.objectContaining({
          code: 'MAPPING.FIELD_MISSING',
          field: 'transactionRef',
          message:
            "transactionRef is required but column 'Transno' is missing or empty (rule: string; mapping warwickshire.finance.spend-csv v1)",
        }),
      ],
    });
  });
});
