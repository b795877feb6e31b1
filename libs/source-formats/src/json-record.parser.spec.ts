import { parseJsonRecord } from './json-record.parser';
import type { ParsedRecord, ParseResult, SourceFormatError } from './source-format.types';

function parsed(result: ParseResult<ParsedRecord>): ParsedRecord {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.reason}`);
  return result.value;
}

function failed<T>(result: ParseResult<T>): SourceFormatError {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

const json = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('parseJsonRecord', () => {
  it('parses one JSON object, keeping strings as sent', () => {
    const value = parsed(
      parseJsonRecord(json('{"transactionNumber":"PT348115,1","amount":"2,000.00","lines":[{"n":1}]}')),
    );
    expect(value.record).toEqual({ transactionNumber: 'PT348115,1', amount: '2,000.00', lines: [{ n: 1 }] });
    expect(value.encoding).toBe('utf-8');
    expect(value.fieldsWithControlCharacters).toEqual([]);
  });

  it('refuses an array with a reason that says a message is one object', () => {
    const error = failed(parseJsonRecord(json('[{"a":1},{"a":2}]')));
    expect(error.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(error.reason).toContain('an array of 2 item(s)');
    expect(error.reason).toContain('single JSON object');
  });

  it.each([
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['true', 'a boolean'],
    ['null', 'null'],
  ])('refuses the primitive %s', (payload, described) => {
    const error = failed(parseJsonRecord(json(payload)));
    expect(error.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(error.reason).toContain(described);
  });

  it('refuses a payload over the byte limit before decoding it', () => {
    const big = json(`{"a":"${'x'.repeat(2000)}"}`);
    const error = failed(parseJsonRecord(big, { maxBytes: 1024 }));
    expect(error.code).toBe('SIZE.TOO_LARGE');
    expect(error.reason).toContain(`${big.length} bytes`);
  });

  it('refuses a payload over the default 1 MiB', () => {
    const big = json(`{"a":"${'x'.repeat(1024 * 1024)}"}`);
    expect(failed(parseJsonRecord(big)).code).toBe('SIZE.TOO_LARGE');
  });

  it('refuses nesting deeper than the limit, naming depth and line, without parsing it', () => {
    const deep = `{"a":\n${'['.repeat(40)}${']'.repeat(40)}}`;
    const error = failed(parseJsonRecord(json(deep)));
    expect(error.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(error.reason).toContain('deeper than the limit of 32 levels');
    expect(error.line).toBe(2);
    // A hostile payload far beyond any stack is refused the same way.
    expect(failed(parseJsonRecord(json('['.repeat(500_000)))).code).toBe('SOURCE.SCHEMA_INVALID');
  });

  it('accepts nesting at exactly the limit and ignores brackets inside strings', () => {
    const atLimit = `${'{"a":'.repeat(3)}"[[[[\\"{{"${'}'.repeat(3)}`;
    expect(parsed(parseJsonRecord(json(atLimit), { maxDepth: 3 })).record).toEqual({
      a: { a: { a: '[[[["{{' } },
    });
  });

  it('refuses strings longer than the limit, naming the field path but not the value', () => {
    const error = failed(
      parseJsonRecord(json(`{"supplier":{"name":"${'y'.repeat(40)}"}}`), { maxStringLength: 32 }),
    );
    expect(error.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(error.reason).toBe("Field 'supplier.name' is longer than the limit of 32 characters.");
  });

  it('reports syntax errors with the line, without quoting the payload', () => {
    const error = failed(parseJsonRecord(json('{\n"name": "Jane Doe",\n"nino": "QQ123456C",,\n}')));
    expect(error.code).toBe('SOURCE.PARSE_ERROR');
    expect(error.line).toBe(3);
    expect(error.reason).toMatch(/syntax error at line 3, column \d+\.$/);
    expect(error.reason).not.toContain('Jane');
    expect(error.reason).not.toContain('QQ123456C');
  });

  it('does not quote the payload when the engine gives no position', () => {
    const error = failed(parseJsonRecord(json('{"name":Jane}')));
    expect(error.code).toBe('SOURCE.PARSE_ERROR');
    expect(error.reason).not.toContain('Jane');
  });

  it('refuses empty and whitespace-only payloads', () => {
    expect(failed(parseJsonRecord(Buffer.alloc(0))).code).toBe('SOURCE.EMPTY');
    expect(failed(parseJsonRecord(json(' \r\n '))).code).toBe('SOURCE.EMPTY');
  });

  it('keeps control characters but flags their fields for the mapping layer', () => {
    const value = parsed(parseJsonRecord(json('{"a":"ok\\ttab","b":{"c":"bell\\u0007"},"d":["x\\u001b"]}')));
    expect(value.record).toEqual({ a: 'ok\ttab', b: { c: 'bell\u0007' }, d: ['x\u001b'] });
    expect(value.fieldsWithControlCharacters).toEqual(['b.c', 'd[0]']);
  });

  it('flags integers JSON.parse cannot hold exactly', () => {
    const value = parsed(parseJsonRecord(json('{"id":12345678901234567890,"ok":9007199254740991}')));
    expect(value.fieldsWithImpreciseNumbers).toEqual(['id']);
  });

  it('lets the last duplicate key win, as JSON.parse does', () => {
    expect(parsed(parseJsonRecord(json('{"a":"first","a":"second"}'))).record).toEqual({ a: 'second' });
  });

  it('honours a declared charset from the content type', () => {
    const bytes = Buffer.from('{"supplier":"Caf\u00e9"}', 'utf16le');
    const value = parsed(parseJsonRecord(bytes, {}, 'application/json; charset=utf-16le'));
    expect(value.record).toEqual({ supplier: 'Café' });
    expect(value.encoding).toBe('utf-16le');
  });
});
