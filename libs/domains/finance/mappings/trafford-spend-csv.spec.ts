import type { MapResult } from '@hub/mapping';
import { financeRegistry, readRealCsv } from '../src/fixtures/real-spend-files.fixture';

// Real rows of shared/data/councils/trafford/trafford-supplier-spend-2026-27_EXCERPT_first2000rows.csv (Trafford Council, OGL v3).
const file = readRealCsv('trafford/trafford-supplier-spend-2026-27_EXCERPT_first2000rows.csv', 'utf8');
const mapping = financeRegistry().forFile('trafford', 'finance', 'csv')!;
/** Maps the row a spreadsheet shows as `row` (the header is row 1, so the first payment is row 2). */
const mapRow = (row: number): Promise<MapResult> => mapping.map(file.rows[row - 2], { row });

describe('trafford.finance.spend-csv on the real published file (LGA schema)', () => {
  it('maps row 2, the first payment, with every LGA column', async () => {
    expect(await mapRow(2)).toEqual({
      ok: true,
      recordId: '5100509851#2',
      operation: 'upsert',
      warnings: [],
      data: {
        transactionRef: '5100509851',
        paymentDate: '2026-05-29',
        accountingPeriodEnd: '2026-05-31',
        netAmountPence: 74250,
        irrecoverableVatPence: 0,
        supplier: {
          name: 'VLC (Stairlifts) Limited',
          localId: '3536',
          vatNumber: '812311285',
          redacted: false,
        },
        organisationalUnit: { label: 'LIFT REPAIRS & MTCE', code: '250210' },
        purpose: 'CLIENTS LIFT REP & M - Service Charges 30/04/2026',
        proclassCode: '191400',
        proclassLabel: 'FACILITIES MGT : Lifts',
        invoiceRef: '68787',
      },
    });
  });

  it('treats NA and Not Classified as no value (row 3) and keeps a negative amount (row 5)', async () => {
    const row3 = await mapRow(3);
    expect(row3.ok && row3.data['proclassCode']).toBeUndefined();
    expect(row3.ok && row3.data['proclassLabel']).toBeUndefined();
    const row5 = await mapRow(5);
    expect(row5.ok && row5.data).toMatchObject({ transactionRef: '1700080216', netAmountPence: -20301 });
  });

  it('keeps redacted payments flagged, without the name, id, invoice number or VAT number (rows 115 and 147)', async () => {
    const row115 = await mapRow(115);
    expect(row115.ok && row115.data).toMatchObject({
      transactionRef: '5100509547',
      netAmountPence: 95000,
      supplier: { redacted: true },
    });
    expect(row115.ok && row115.data['supplier']).toEqual({ redacted: true });
    expect(row115.ok && row115.data['invoiceRef']).toBe('316');
    const row147 = await mapRow(147);
    expect(row147.ok && row147.data).toEqual({
      transactionRef: '1901756125',
      paymentDate: '2026-05-29',
      accountingPeriodEnd: '2026-05-31',
      netAmountPence: 50000,
      irrecoverableVatPence: 0,
      supplier: { redacted: true },
      organisationalUnit: { label: 'PLACE PARTNERSHIP', code: '710206' },
      purpose: 'CONTRIB EXT PROJECTS',
    });
  });

  it('maps all 2,000 rows, with a distinct record id per row although transaction numbers repeat', async () => {
    const ids = new Set<string>();
    let redacted = 0;
    for (let row = 2; row <= file.rows.length + 1; row++) {
      const result = await mapRow(row);
      if (!result.ok) throw new Error(`row ${row}: ${JSON.stringify(result.errors)}`);
      ids.add(result.recordId);
      if ((result.data['supplier'] as { redacted: boolean }).redacted) redacted++;
    }
    expect(ids.size).toBe(2000);
    expect(redacted).toBeGreaterThan(50);
  });
});
