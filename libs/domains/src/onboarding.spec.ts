import { resolve } from 'node:path';
import { buildMappingRegistry, loadMappingFiles } from '@hub/mapping';
import { loadPartnership } from '@hub/partnership';
import { ALL_ENTITIES } from './index';

/**
 * Onboarding a council's feed is configuration, not code: a feed entry in config/partnership/feeds/ and
 * a mapping file in libs/domains/<domain>/mappings/. Devon and Trafford were onboarded that way; this
 * spec builds the hub's registry exactly as start-up does and maps their real published rows.
 * (Rows pasted from shared/data/councils/devon/DCCSpendingOver500_202603.csv, OGL v3, and
 * shared/data/councils/trafford/trafford-supplier-spend-2026-27_EXCERPT_first2000rows.csv, OGL v3.)
 */
const root = resolve(__dirname, '../../..');

describe('onboarding Devon and Trafford spend feeds from configuration alone', () => {
  const partnership = loadPartnership(root);
  const registry = buildMappingRegistry(partnership, ALL_ENTITIES, loadMappingFiles(root));

  it('registers their finance feeds outside the demo partnership', () => {
    for (const council of ['devon', 'trafford']) {
      expect(partnership.council(council)).toBeDefined();
      expect(partnership.feed(council, 'finance')).toMatchObject({
        partnershipMember: false,
        files: { csv: `${council}.finance.spend-csv` },
      });
      expect(registry.forFile(council, 'finance', 'csv')?.entity.name).toBe('finance.spend');
    }
  });

  // Row numbers are spreadsheet rows, as @hub/source-formats reports them (Devon's row 5, Trafford's row 3).
  it("maps a real Devon row the way the council's file is laid out", async () => {
    const record = {
      '\uFEFFBody': '18',
      'Name of Body': 'Devon County Council',
      Date: '04/03/2026',
      'Transaction number': '22071904',
      ' Amount ': ' 539.00 ',
      'Supplier name': 'LEX LEISURE LIMITED',
      'Supplier ID': '61902',
      'VAT reg no': '268089267',
      'Expense area': 'Communities',
      'Expense type': 'Hire of Rooms',
      'Expense code': 'A22010',
      Costcuk: 'R0536007',
      'Creditor type': 'DCC Business Entities (Sole Trade, Partnership, Ltd)',
    };
    const result = await registry.forFile('devon', 'finance', 'csv')!.map(record, { row: 5 });
    expect(result).toMatchObject({
      ok: true,
      recordId: '22071904#5',
      data: {
        transactionRef: '22071904',
        paymentDate: '2026-03-04',
        netAmountPence: 53900,
        supplier: { name: 'LEX LEISURE LIMITED', vatNumber: '268089267' },
      },
    });
  });

  it('maps a real Trafford row in the LGA schema', async () => {
    const header =
      'OrganisationLabel,OrganisationURI,EffectiveDate,OrganisationalUnit,BeneficiaryName,BeneficiaryOtherID,PaymentDate,TransactionNumber,Amount,IrrecoverableVATAmount,Purpose,ProclassLabel,ProclassCode,InvoiceNumber,ProfitCentre,VATRegistrationNumber'.split(
        ',',
      );
    const values =
      'Trafford Council,https://opendatacommunities.org/id/metropolitan-district-council/trafford,2026-05-31,Capital Schemes,George Cox & Sons Ltd,3760,2026-05-29,5100507185,31843.62,0.00,Inf - Main Works Con,Not Classified,NA,26060037,990000,GB588646475'.split(
        ',',
      );
    const record = Object.fromEntries(header.map((h, i) => [h, values[i]]));
    const result = await registry.forFile('trafford', 'finance', 'csv')!.map(record, { row: 3 });
    expect(result).toEqual({
      ok: true,
      recordId: '5100507185#3',
      operation: 'upsert',
      warnings: [],
      data: {
        transactionRef: '5100507185',
        paymentDate: '2026-05-29',
        accountingPeriodEnd: '2026-05-31',
        netAmountPence: 3184362,
        irrecoverableVatPence: 0,
        supplier: { name: 'George Cox & Sons Ltd', localId: '3760', vatNumber: '588646475', redacted: false },
        organisationalUnit: { label: 'Capital Schemes', code: '990000' },
        purpose: 'Inf - Main Works Con',
        invoiceRef: '26060037',
      },
    });
  });
});

describe('ALL_ENTITIES', () => {
  it('holds each entity once, with distinct schema ids', () => {
    const ids = ALL_ENTITIES.map((e) => e.schemaId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('hub.finance.spend.v1');
  });
});
