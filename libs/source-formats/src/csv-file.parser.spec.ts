import { createHash } from 'node:crypto';
import { parseCsvFile, type CsvFileOptions } from './csv-file.parser';
import {
  isRecordRow,
  type FileRow,
  type ParsedFile,
  type ParseResult,
  type SourceFormatError,
  type SourceRecord,
} from './source-format.types';

function parsed(result: ParseResult<ParsedFile>): ParsedFile {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.reason}`);
  return result.value;
}

function failed<T>(result: ParseResult<T>): SourceFormatError {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

function recordOf(row: FileRow | undefined): SourceRecord {
  if (row === undefined || !isRecordRow(row))
    throw new Error(`expected a record row, got ${JSON.stringify(row)}`);
  return row.record;
}

function errorOf(row: FileRow | undefined): SourceFormatError {
  if (row === undefined || isRecordRow(row))
    throw new Error(`expected an error row, got ${JSON.stringify(row)}`);
  return row.error;
}

/** The aliases a spend mapping would know. */
const SPEND: CsvFileOptions['expectedColumns'] = [
  ['Transaction number', 'Transno', 'TransactionNumber'],
  ['Amount', 'Net amount'],
  ['Payment date', 'Pay Date', 'Date'],
  ['Supplier name', 'BeneficiaryName'],
];

const csv = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('parseCsvFile', () => {
  it('reads a simple file: header keys as written (trimmed), values trimmed, row numbers as in a spreadsheet', () => {
    const value = parsed(
      parseCsvFile(csv('Transno, Amount ,Pay Date\r\n"PT348115,1", 519.89 ,04/12/2018\r\n'), {
        expectedColumns: SPEND,
      }),
    );
    expect(value.header).toEqual(['Transno', 'Amount', 'Pay Date']);
    expect(value.headerRowNumber).toBe(1);
    expect(value.rows).toEqual([
      {
        rowNumber: 2,
        line: 2,
        record: { Transno: 'PT348115,1', Amount: '519.89', 'Pay Date': '04/12/2018' },
      },
    ]);
    expect(value).toMatchObject({
      encoding: 'utf-8',
      delimiter: ',',
      skippedPreambleRows: 0,
      ignoredColumns: [],
    });
  });

  it('does not shift columns when a reference like PT348115,1 is left unquoted: the row is an error', () => {
    const value = parsed(
      parseCsvFile(csv('Transno, Amount ,Pay Date\r\nPT348115,1, 519.89 ,04/12/2018\r\n'), {
        expectedColumns: SPEND,
      }),
    );
    expect(errorOf(value.rows[0])).toMatchObject({ code: 'SOURCE.PARSE_ERROR', line: 2 });
  });

  it('skips preamble rows (titles, notes, blank lines) above the header', () => {
    const text = [
      'Warwickshire County Council',
      'Expenditure over £500, December 2018',
      '',
      'Note: amounts include irrecoverable VAT,,,',
      'Transaction number,Amount,Payment date',
      '51465244,"2,000.00",04/12/2018',
      '51462102,764.10,21/12/2018',
    ].join('\n');
    const value = parsed(parseCsvFile(csv(text), { expectedColumns: SPEND }));
    expect(value.skippedPreambleRows).toBe(4);
    expect(value.headerRowNumber).toBe(5);
    expect(value.rows.map((row) => row.rowNumber)).toEqual([6, 7]);
    expect(recordOf(value.rows[0])).toEqual({
      'Transaction number': '51465244',
      Amount: '2,000.00',
      'Payment date': '04/12/2018',
    });
  });

  it('gives up looking for the header after maxPreambleRows, saying what it looked for', () => {
    const text = `${'notes\n'.repeat(5)}Transno,Amount\n1,2\n`;
    const error = failed(parseCsvFile(csv(text), { expectedColumns: SPEND, maxPreambleRows: 5 }));
    expect(error.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(error.reason).toBe(
      'No header row found in the first 5 rows: expected a row naming at least 2 of: Transaction number, Amount, Payment date, Supplier name, separated by commas, semicolons or tabs.',
    );
    expect(parsed(parseCsvFile(csv(text), { expectedColumns: SPEND, maxPreambleRows: 6 })).rows).toHaveLength(
      1,
    );
  });

  it('finds the header under drifted names (aliases, case, spacing, punctuation)', () => {
    const text = 'TRANSACTION_NUMBER,Net Amount,BeneficiaryName\n46296351 - 1,-20.00,Acme\n';
    const value = parsed(parseCsvFile(csv(text), { expectedColumns: SPEND }));
    expect(value.header).toEqual(['TRANSACTION_NUMBER', 'Net Amount', 'BeneficiaryName']);
    expect(recordOf(value.rows[0])['TRANSACTION_NUMBER']).toBe('46296351 - 1');
  });

  it('requires every expected column when fewer than two are expected, and any non-blank row when none are', () => {
    const text = 'Report\nAmount,Other\n5,6\n';
    expect(parsed(parseCsvFile(csv(text), { expectedColumns: [['amount']] })).headerRowNumber).toBe(2);
    expect(parsed(parseCsvFile(csv(`\n${text}`), { expectedColumns: [] })).headerRowNumber).toBe(2);
  });

  it('ignores and reports blank trailing columns, keeps unnamed columns that hold values', () => {
    const text = 'Transno,Amount,,,\n1,5.00,,x,\n2,6.00,,,\n';
    const value = parsed(parseCsvFile(csv(text), { expectedColumns: SPEND }));
    expect(value.ignoredColumns).toEqual(['column 3', 'column 5']);
    expect(value.header).toEqual(['Transno', 'Amount', 'column 4']);
    expect(recordOf(value.rows[0])).toEqual({ Transno: '1', Amount: '5.00', 'column 4': 'x' });
  });

  it('turns a row with more non-blank fields than the header into an error row naming the line; others survive', () => {
    const text = 'Transno,Amount\n1,5.00\n2,6.00,oops\n3,7.00,,\n4\n';
    const value = parsed(parseCsvFile(csv(text), { expectedColumns: SPEND }));
    expect(value.rows).toHaveLength(4);
    const error = errorOf(value.rows[1]);
    expect(error).toMatchObject({ code: 'SOURCE.PARSE_ERROR', line: 3 });
    expect(error.reason).toContain('has 3 fields but the header has 2');
    expect(error.reason).not.toContain('oops');
    // Extra blank fields are harmless; missing trailing fields are empty.
    expect(recordOf(value.rows[2])).toEqual({ Transno: '3', Amount: '7.00' });
    expect(recordOf(value.rows[3])).toEqual({ Transno: '4', Amount: '' });
  });

  it('skips entirely blank rows without calling them errors, and keeps row numbers true to the file', () => {
    const text = 'Transno,Amount\n1,5.00\n\n , \n,,\n2,6.00\n';
    const value = parsed(parseCsvFile(csv(text), { expectedColumns: SPEND }));
    expect(value.skippedBlankRows).toBe(3);
    expect(value.rows.map((row) => row.rowNumber)).toEqual([2, 6]);
  });

  it('reads quoted commas, doubled quotes and line breaks; rowNumber counts rows, line counts text lines', () => {
    const text =
      'Transno,Amount,Description\r\n"PT348115,1","2,000.00","12"" pipe,\r\nsecond line"\r\n7,1.00,plain\r\n';
    const value = parsed(parseCsvFile(csv(text), { expectedColumns: SPEND }));
    expect(recordOf(value.rows[0])).toEqual({
      Transno: 'PT348115,1',
      Amount: '2,000.00',
      Description: '12" pipe,\r\nsecond line',
    });
    expect(value.rows.map((row) => [row.rowNumber, row.line])).toEqual([
      [2, 2],
      [3, 4],
    ]);
  });

  it('handles LF, CRLF and a mix of both in one file', () => {
    const value = parsed(parseCsvFile(csv('Transno,Amount\n1,5\r\n2,6\n3,7'), { expectedColumns: SPEND }));
    expect(value.rows.map((row) => recordOf(row)['Transno'])).toEqual(['1', '2', '3']);
    const classicMac = parsed(parseCsvFile(csv('Transno,Amount\r1,5\r2,6\r'), { expectedColumns: SPEND }));
    expect(classicMac.rows.map((row) => [row.rowNumber, row.line])).toEqual([
      [2, 2],
      [3, 3],
    ]);
  });

  it('keeps a stray quote inside an unquoted value as text', () => {
    const value = parsed(
      parseCsvFile(csv('Transno,Amount,Description\n1,5,12" pipe\n'), { expectedColumns: SPEND }),
    );
    expect(recordOf(value.rows[0])['Description']).toBe('12" pipe');
  });

  it('fails the whole file on an unterminated quote, naming the line where it opens', () => {
    const text = 'Transno,Amount\n1,5.00\n2,"6.00\n3,7.00\n4,8.00\n';
    const error = failed(parseCsvFile(csv(text), { expectedColumns: SPEND }));
    expect(error).toMatchObject({ code: 'SOURCE.PARSE_ERROR', line: 3 });
    expect(error.reason).toContain('never closed');
  });

  it('detects semicolon and tab delimiters when the header has no commas', () => {
    const semicolon = parsed(parseCsvFile(csv('Transno;Amount\n1;"1.234,56"\n'), { expectedColumns: SPEND }));
    expect(semicolon.delimiter).toBe(';');
    expect(recordOf(semicolon.rows[0])).toEqual({ Transno: '1', Amount: '1.234,56' });
    const tab = parsed(parseCsvFile(csv('Transno\tAmount\n1\t 2.00 \n'), { expectedColumns: SPEND }));
    expect(tab.delimiter).toBe('\t');
    expect(recordOf(tab.rows[0])).toEqual({ Transno: '1', Amount: '2.00' });
  });

  it('uses a configured delimiter as given', () => {
    const value = parsed(
      parseCsvFile(csv('Transno|Amount\n1|2\n'), { expectedColumns: SPEND, delimiter: '|' }),
    );
    expect(recordOf(value.rows[0])).toEqual({ Transno: '1', Amount: '2' });
  });

  it('suffixes repeated header names so no value is overwritten', () => {
    const value = parsed(parseCsvFile(csv('Transno,Amount,Amount\n1,2,3\n'), { expectedColumns: SPEND }));
    expect(recordOf(value.rows[0])).toEqual({ Transno: '1', Amount: '2', 'Amount (2)': '3' });
  });

  it('returns zero rows for a header-only file', () => {
    const value = parsed(parseCsvFile(csv('Transno,Amount\r\n'), { expectedColumns: SPEND }));
    expect(value.rows).toEqual([]);
  });

  it('refuses empty and blank files', () => {
    expect(failed(parseCsvFile(Buffer.alloc(0), { expectedColumns: SPEND })).code).toBe('SOURCE.EMPTY');
    expect(failed(parseCsvFile(csv('\r\n\r\n  \n'), { expectedColumns: SPEND })).code).toBe('SOURCE.EMPTY');
    expect(failed(parseCsvFile(Buffer.from([0xef, 0xbb, 0xbf]), { expectedColumns: SPEND })).code).toBe(
      'SOURCE.EMPTY',
    );
  });

  it('refuses files over the size limit', () => {
    const error = failed(
      parseCsvFile(csv('Transno,Amount\n1,2\n'), { expectedColumns: SPEND, maxBytes: 10 }),
    );
    expect(error.code).toBe('SIZE.TOO_LARGE');
  });

  it('passes encoding failures through', () => {
    const error = failed(
      parseCsvFile(Buffer.from([0x41, 0xa3]), { expectedColumns: SPEND, declaredEncoding: 'utf-8' }),
    );
    expect(error).toMatchObject({ code: 'SOURCE.ENCODING_INVALID', byteOffset: 1 });
  });

  it('hashes the bytes as received', () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('Transno,Amount\n1,2\n')]);
    const value = parsed(parseCsvFile(bytes, { expectedColumns: SPEND }));
    expect(value.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
