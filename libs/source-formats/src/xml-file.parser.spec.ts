import { parseXmlFile } from './xml-file.parser';
import {
  isRecordRow,
  type ParsedFile,
  type ParseResult,
  type SourceFormatError,
} from './source-format.types';

function parsed(result: ParseResult<ParsedFile>): ParsedFile {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.reason}`);
  return result.value;
}

function failed<T>(result: ParseResult<T>): SourceFormatError {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

const EXPORT = `<?xml version="1.0" encoding="UTF-8"?>
<Export generated="2026-03-31">
  <Spend>
    <Row>
      <TransNo>PT348115,1</TransNo>
      <Amount>2,000.00</Amount>
      <Supplier id="0042">Acme Ltd</Supplier>
    </Row>
    <Row>
      <TransNo>46296351 - 1</TransNo>
      <Amount>-19,821.67</Amount>
      <Supplier id="0043">REDACTED UNDER DP ACT</Supplier>
    </Row>
    <Row><TransNo>CHAPS</TransNo><Amount>519.89</Amount></Row>
  </Spend>
</Export>
`;

describe('parseXmlFile', () => {
  it('splits an export with 3 rows into records with ordinals and start lines', () => {
    const bytes = Buffer.from(EXPORT, 'utf8');
    const value = parsed(parseXmlFile(bytes, { recordPath: 'Export.Spend.Row' }));
    expect(value.rows).toHaveLength(3);
    expect(value.rows.map((row) => [row.rowNumber, row.line])).toEqual([
      [1, 4],
      [2, 9],
      [3, 14],
    ]);
    const [first, second] = value.rows;
    expect(first).toEqual({
      rowNumber: 1,
      line: 4,
      record: {
        TransNo: 'PT348115,1',
        Amount: '2,000.00',
        Supplier: { '#text': 'Acme Ltd', '@_id': '0042' },
      },
    });
    expect(second && isRecordRow(second) && second.record['Amount']).toBe('-19,821.67');
    expect(value).toMatchObject({
      encoding: 'utf-8',
      skippedPreambleRows: 0,
      skippedBlankRows: 0,
      ignoredColumns: [],
    });
    expect(value.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns a single record element as one row', () => {
    const value = parsed(parseXmlFile(Buffer.from('<E><S><R><A>1</A></R></S></E>'), { recordPath: 'E.S.R' }));
    expect(value.rows).toEqual([{ rowNumber: 1, line: 1, record: { A: '1' } }]);
  });

  it('reads records across repeated containers in document order', () => {
    const value = parsed(
      parseXmlFile(Buffer.from('<E><S><R><A>1</A></R></S><S><R><A>2</A></R><R><A>3</A></R></S></E>'), {
        recordPath: 'E.S.R',
      }),
    );
    expect(value.rows.map((row) => (isRecordRow(row) ? row.record['A'] : undefined))).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('skips empty record elements and turns text-only ones into error rows', () => {
    const value = parsed(
      parseXmlFile(Buffer.from('<E><R><A>1</A></R><R/><R>oops</R></E>'), { recordPath: 'E.R' }),
    );
    expect(value.skippedBlankRows).toBe(1);
    expect(value.rows).toHaveLength(2);
    const last = value.rows[1];
    expect(last && !isRecordRow(last) && last.error.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(last?.rowNumber).toBe(3);
  });

  it('gives zero rows for an export whose container is empty', () => {
    expect(
      parsed(parseXmlFile(Buffer.from('<Export><Spend/></Export>'), { recordPath: 'Export.Spend.Row' })).rows,
    ).toEqual([]);
  });

  it('refuses a file whose root or containers do not match the record path', () => {
    const wrongRoot = failed(parseXmlFile(Buffer.from(EXPORT), { recordPath: 'Feed.Spend.Row' }));
    expect(wrongRoot.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(wrongRoot.reason).toContain('<Export>');
    const missing = failed(parseXmlFile(Buffer.from(EXPORT), { recordPath: 'Export.Payments.Row' }));
    expect(missing.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(missing.reason).toContain('<Payments>');
    expect(failed(parseXmlFile(Buffer.from(EXPORT), { recordPath: 'Row' })).code).toBe(
      'SOURCE.SCHEMA_INVALID',
    );
  });

  it('refuses DOCTYPEs, malformed XML and empty files like single messages', () => {
    expect(failed(parseXmlFile(Buffer.from('<!DOCTYPE E><E/>'), { recordPath: 'E.R' })).code).toBe(
      'SOURCE.PARSE_ERROR',
    );
    const malformed = failed(parseXmlFile(Buffer.from('<E>\n<R>\n<A>1</A>\n</E>'), { recordPath: 'E.R' }));
    expect(malformed).toMatchObject({ code: 'SOURCE.PARSE_ERROR', line: 4 });
    expect(failed(parseXmlFile(Buffer.alloc(0), { recordPath: 'E.R' })).code).toBe('SOURCE.EMPTY');
  });

  it('decodes a UTF-16LE export with BOM', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('<E>\r\n<R><A>£1</A></R>\r\n</E>', 'utf16le'),
    ]);
    const value = parsed(parseXmlFile(bytes, { recordPath: 'E.R' }));
    expect(value.encoding).toBe('utf-16le');
    expect(value.rows).toEqual([{ rowNumber: 1, line: 2, record: { A: '£1' } }]);
  });
});
