import type { MapResult } from '@hub/mapping';
import { financeRegistry, readRealCsv } from '../src/fixtures/real-spend-files.fixture';

// Real rows of shared/data/councils/devon/DCCSpendingOver500_202603.csv (Devon County Council, OGL v3).
const file = readRealCsv('devon/DCCSpendingOver500_202603.csv', 'utf8');
const mapping = financeRegistry().forFile('devon', 'finance', 'csv')!;
/** Maps the row a spreadsheet shows as `row` (the header is row 1, so the first payment is row 2). */
const mapRow = (row: number): Promise<MapResult> => mapping.map(file.rows[row - 2], { row });

describe('devon.finance.spend-csv on the real published file', () => {
  it('reads the header as published: a BOM on Body and a padded " Amount "', () => {
    expect(file.header[0]).toBe('\uFEFFBody');
    expect(file.header[4]).toBe(' Amount ');
  });

  it('maps row 2, the first payment (padded amount, VAT number, creditor type)', async () => {
    expect(await mapRow(2)).toEqual({
      ok: true,
      recordId: '22074502#2',
      operation: 'upsert',
      warnings: [],
      data: {
        transactionRef: '22074502',
        paymentDate: '2026-03-02',
        netAmountPence: 51989,
        supplier: {
          name: 'TRIP COMMUNITY TRANSPORT ASSOCIATION',
          localId: '21790',
          vatNumber: '989488523',
          category: 'DCC Business Entities (Sole Trade, Partnership, Ltd)',
          redacted: false,
        },
        department: 'P-Ledger - Separate Legal Entity',
        expenseType: { code: 'A61054', label: 'Equipment (Care)' },
        organisationalUnit: { code: 'P0391002' },
      },
    });
  });

  it('maps row 4 (a sole trader without a VAT number) and the last payment (a quoted, padded six-figure amount)', async () => {
    const sole = await mapRow(4);
    expect(sole.ok && sole.data['supplier']).toEqual({
      name: 'JO PULLIN',
      localId: '396604',
      category: 'DCC Business Entities (Sole Trade, Partnership, Ltd)',
      redacted: false,
    });
    const last = await mapRow(3546);
    expect(last).toMatchObject({ ok: true, recordId: '22085634#3546' });
    expect(last.ok && last.data).toMatchObject({
      paymentDate: '2026-03-31',
      netAmountPence: 22244116,
      department: 'Capital - Highways',
    });
  });

  it('maps every payment row and sends the trailing totals row to the DLQ', async () => {
    const failed: number[] = [];
    for (let row = 2; row <= file.rows.length + 1; row++) if (!(await mapRow(row)).ok) failed.push(row);
    expect(file.rows.length).toBe(3546);
    expect(failed).toEqual([3547]);
  });
});
