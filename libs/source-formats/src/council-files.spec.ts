/**
 * The real files councils published (shared/data/councils, byte-for-byte copies; see its README for provenance).
 * They are read, never modified: their defects are what real feeds send.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCsvFile } from './csv-file.parser';
import { findColumn } from './header-normaliser';
import { parseJsonRecord } from './json-record.parser';
import { decodeText } from './text-decoder';
import {
  isRecordRow,
  type FileRow,
  type ParsedFile,
  type ParseResult,
  type SourceRecord,
} from './source-format.types';

// libs/source-formats/src → repo root (3 up) → its sibling shared/ (4 up).
const COUNCILS = path.resolve(__dirname, '../../../../shared/data/councils');
const read = (file: string): Buffer => readFileSync(path.join(COUNCILS, file));

const WARWICKSHIRE = 'warwickshire/all-december-2018.csv';
const DEVON = 'devon/DCCSpendingOver500_202603.csv';
const TRAFFORD = 'trafford/trafford-supplier-spend-2026-27_EXCERPT_first2000rows.csv';
const WARWICK_DISTRICT_BINS = 'bins/ukbcd_output_WarwickDistrictCouncil.json';

/** The three column vocabularies of the Transparency Code spend data, as a spend mapping would list them. */
const SPEND_COLUMNS = [
  ['Transaction number', 'Transno', 'TransactionNumber'],
  ['Amount'],
  ['Payment date', 'Pay Date', 'PaymentDate', 'Date'],
  ['Supplier name', 'BeneficiaryName'],
];

function parsed(result: ParseResult<ParsedFile>): ParsedFile {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.reason}`);
  return result.value;
}

function recordOf(row: FileRow | undefined): SourceRecord {
  if (row === undefined || !isRecordRow(row)) throw new Error('expected a record row');
  return row.record;
}

describe('Warwickshire County Council, all-december-2018.csv', () => {
  const bytes = read(WARWICKSHIRE);
  const file = parsed(
    parseCsvFile(bytes, { expectedColumns: SPEND_COLUMNS, declaredEncoding: 'windows-1252' }),
  );

  it('reads every data row as a record keyed by the Warwickshire vocabulary', () => {
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
    expect(file.rows).toHaveLength(2498);
    expect(file.rows.every(isRecordRow)).toBe(true);
    expect(file).toMatchObject({
      encoding: 'windows-1252',
      skippedPreambleRows: 0,
      skippedBlankRows: 0,
      ignoredColumns: [],
    });
  });

  it('keeps row 1 exactly as published: quoted thousands, dd/mm/yyyy dates, ids as text', () => {
    expect(file.rows[0]?.rowNumber).toBe(2);
    expect(recordOf(file.rows[0])).toEqual({
      'Supplier id': '999982',
      'Supplier Name': '11th Nuneaton (Weddington) Scout Group',
      Transno: '51465244',
      Account: 'R5501',
      Description: 'Grants / Donations to External Organisations',
      Amount: '2,000.00',
      'Pay Date': '04/12/2018',
      Group: 'Communities',
    });
  });

  it('keeps credit notes and redacted suppliers as they are, at their spreadsheet row', () => {
    const credit = file.rows.find((row) => row.rowNumber === 141);
    expect(findColumn(recordOf(credit), ['Amount'])).toBe('-20,777.76');
    const redacted = file.rows.filter(
      (row) => isRecordRow(row) && row.record['Supplier Name'] === 'REDACTED',
    );
    expect(redacted).toHaveLength(203);
    expect(redacted[0]?.rowNumber).toBe(1687);
  });

  it('is plain ASCII in this copy, so detection says utf-8 and the records are identical either way', () => {
    // The data README says this file is Windows-1252 with £ as 0xA3, but the December 2018 copy holds no byte
    // above 0x7F; declaring windows-1252 (the council's export setting) is harmless and right for other months.
    expect(bytes.some((byte) => byte > 0x7f)).toBe(false);
    const detected = parsed(parseCsvFile(bytes, { expectedColumns: SPEND_COLUMNS }));
    expect(detected.encoding).toBe('utf-8');
    expect(detected.rows).toEqual(file.rows);
  });

  it('decodes a £ written by the same system as byte 0xA3', () => {
    const line = Buffer.concat([
      bytes.subarray(0, bytes.indexOf(0x0a) + 1),
      Buffer.from('1,Fuel \xa3 card,2,R1,Fuel,"1,000.00",01/12/2018,X\r\n', 'latin1'),
    ]);
    const value = parsed(parseCsvFile(line, { expectedColumns: SPEND_COLUMNS }));
    expect(value.encoding).toBe('windows-1252');
    expect(recordOf(value.rows[0])['Supplier Name']).toBe('Fuel £ card');
  });
});

describe('Devon County Council, DCCSpendingOver500_202603.csv', () => {
  const file = parsed(parseCsvFile(read(DEVON), { expectedColumns: SPEND_COLUMNS }));

  it('strips the UTF-8 BOM and the padding of the " Amount " header', () => {
    expect(file.encoding).toBe('utf-8');
    expect(file.header?.[0]).toBe('Body');
    expect(file.header).toContain('Amount');
    expect(file.header).toHaveLength(13);
  });

  it('reads all 3,546 data rows, the last being the published grand total', () => {
    expect(file.rows).toHaveLength(3546);
    expect(file.rows.every(isRecordRow)).toBe(true);
    const last = recordOf(file.rows[file.rows.length - 1]);
    // A footer row with only the total: it comes through as a record and the mapping refuses it (no transaction).
    expect(last['Amount']).toBe('57,492,900.67');
    expect(last['Transaction number']).toBe('');
    expect(file.rows[file.rows.length - 1]?.rowNumber).toBe(3547);
  });

  it('keeps row 1 exactly as published, with the padding trimmed from values', () => {
    expect(recordOf(file.rows[0])).toEqual({
      Body: '18',
      'Name of Body': 'Devon County Council',
      Date: '02/03/2026',
      'Transaction number': '22074502',
      Amount: '519.89',
      'Supplier name': 'TRIP COMMUNITY TRANSPORT ASSOCIATION',
      'Supplier ID': '21790',
      'VAT reg no': '989488523',
      'Expense area': 'P-Ledger - Separate Legal Entity',
      'Expense type': 'Equipment (Care)',
      'Expense code': 'A61054',
      Costcuk: 'P0391002',
      'Creditor type': 'DCC Business Entities (Sole Trade, Partnership, Ltd)',
    });
  });

  it('reads quoted padded thousands (" 200,768.88 ")', () => {
    const row = file.rows.find(
      (candidate) => isRecordRow(candidate) && candidate.record['Transaction number'] === '22085635',
    );
    expect(recordOf(row)['Amount']).toBe('200,768.88');
  });
});

describe('Trafford Council, supplier spend 2026-27 (LGA CamelCase schema, excerpt)', () => {
  const file = parsed(parseCsvFile(read(TRAFFORD), { expectedColumns: SPEND_COLUMNS }));

  it('reads the 2,000 rows of the excerpt under the LGA column names', () => {
    expect(file.rows).toHaveLength(2000);
    expect(file.rows.every(isRecordRow)).toBe(true);
    expect(file.header).toEqual([
      'OrganisationLabel',
      'OrganisationURI',
      'EffectiveDate',
      'OrganisationalUnit',
      'BeneficiaryName',
      'BeneficiaryOtherID',
      'PaymentDate',
      'TransactionNumber',
      'Amount',
      'IrrecoverableVATAmount',
      'Purpose',
      'ProclassLabel',
      'ProclassCode',
      'InvoiceNumber',
      'ProfitCentre',
      'VATRegistrationNumber',
    ]);
  });

  it('keeps row 1 exactly as published, ISO dates included', () => {
    const first = recordOf(file.rows[0]);
    expect(first).toMatchObject({
      OrganisationLabel: 'Trafford Council',
      EffectiveDate: '2026-05-31',
      BeneficiaryName: 'VLC (Stairlifts) Limited',
      PaymentDate: '2026-05-29',
      TransactionNumber: '5100509851',
      Amount: '742.50',
      IrrecoverableVATAmount: '0.00',
      ProclassCode: '191400',
      VATRegistrationNumber: 'GB812311285',
    });
    // The same column under any of the three vocabularies' names.
    expect(findColumn(first, ['Transaction number', 'Transno', 'TransactionNumber'])).toBe('5100509851');
  });

  it('decodes UTF-8 punctuation and trims a trailing non-breaking space', () => {
    expect(recordOf(file.rows.find((row) => row.rowNumber === 82))['OrganisationalUnit']).toBe(
      'SEN – Equipment',
    );
    expect(recordOf(file.rows.find((row) => row.rowNumber === 378))['BeneficiaryName']).toBe(
      'Gem & Jade’s Happy Days Ltd',
    );
    expect(recordOf(file.rows.find((row) => row.rowNumber === 549))['BeneficiaryName']).toBe(
      'LifeCentre Events Ltd',
    );
    expect(recordOf(file.rows.find((row) => row.rowNumber === 5))['Amount']).toBe('-203.01');
  });
});

describe('Warwick District Council bin collections (UTF-16LE with BOM and CRLF)', () => {
  const bytes = read(WARWICK_DISTRICT_BINS);

  it('is decoded by its BOM', () => {
    const result = decodeText(bytes);
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.value).toMatchObject({ encoding: 'utf-16le', encodingSource: 'bom', bomBytes: 2 });
    expect(result.value.text.startsWith('{\r\n    "bins": [')).toBe(true);
    expect(result.value.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('parses as one JSON record', () => {
    const result = parseJsonRecord(bytes);
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.value.encoding).toBe('utf-16le');
    expect(result.value.record).toEqual({
      bins: [
        { collectionDate: '29/12/2020', type: 'Rubbish' },
        { collectionDate: '05/01/2021', type: 'Recycling' },
        { collectionDate: '05/01/2021', type: 'Garden/Food' },
      ],
    });
  });
});
