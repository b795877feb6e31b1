import { parseXmlRecord } from './xml-record.parser';
import type { ParsedRecord, ParseResult, SourceFormatError } from './source-format.types';

function parsed(result: ParseResult<ParsedRecord>): ParsedRecord {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.reason}`);
  return result.value;
}

function failed<T>(result: ParseResult<T>): SourceFormatError {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

const xml = (value: string): Buffer => Buffer.from(value, 'utf8');

const SPEND_RECORD = `<?xml version="1.0" encoding="UTF-8"?>
<SpendRecord schemaVersion="2">
  <TransNo>00123</TransNo>
  <Amount> 2,000.00 </Amount>
  <PayDate>04/12/2018</PayDate>
  <Supplier id="999982"><Name>Scouts &amp; Guides</Name></Supplier>
  <Line>first</Line>
  <Line>second</Line>
  <Note/>
  <Flag>true</Flag>
</SpendRecord>`;

describe('parseXmlRecord', () => {
  it('returns the children of the record element, all values as strings', () => {
    const value = parsed(parseXmlRecord(xml(SPEND_RECORD), { recordElement: 'SpendRecord' }));
    expect(value.record).toEqual({
      '@_schemaVersion': '2',
      TransNo: '00123',
      Amount: '2,000.00',
      PayDate: '04/12/2018',
      Supplier: { '@_id': '999982', Name: 'Scouts & Guides' },
      Line: ['first', 'second'],
      Note: '',
      Flag: 'true',
    });
    expect(value.encoding).toBe('utf-8');
  });

  it('decodes numeric character references and honours the encoding of the XML declaration', () => {
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1252"?><R><A>'),
      Buffer.from([0xa3]),
      Buffer.from('5 &#163;6 &#x20AC;7</A></R>'),
    ]);
    const value = parsed(parseXmlRecord(bytes));
    expect(value.record).toEqual({ A: '£5 £6 €7' });
    expect(value.encoding).toBe('windows-1252');
  });

  it('refuses an XXE attempt (external entity in a DOCTYPE)', () => {
    const attack = `<?xml version="1.0"?>
<!DOCTYPE SpendRecord [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<SpendRecord><TransNo>&xxe;</TransNo></SpendRecord>`;
    const error = failed(parseXmlRecord(xml(attack)));
    expect(error.code).toBe('SOURCE.PARSE_ERROR');
    expect(error.line).toBe(2);
    expect(error.reason).toContain('DOCTYPE');
  });

  it('refuses a billion-laughs entity expansion', () => {
    const attack = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    expect(failed(parseXmlRecord(xml(attack))).code).toBe('SOURCE.PARSE_ERROR');
  });

  it('refuses malformed XML with the line of the fault', () => {
    const error = failed(
      parseXmlRecord(xml('<SpendRecord>\n  <TransNo>1</TransNo>\n  <Amount>5</Amnt>\n</SpendRecord>')),
    );
    expect(error.code).toBe('SOURCE.PARSE_ERROR');
    expect(error.line).toBe(3);
    expect(error.reason).toContain('line 3');
  });

  it('refuses an unescaped ampersand and text outside the root', () => {
    expect(failed(parseXmlRecord(xml('<R><A>Smith & Sons</A></R>'))).code).toBe('SOURCE.PARSE_ERROR');
    expect(failed(parseXmlRecord(xml('<R><A>1</A></R><Q>2</Q>'))).code).toBe('SOURCE.PARSE_ERROR');
    // The validator misses a self-closing second root; the reader catches it.
    expect(failed(parseXmlRecord(xml('<R><A>1</A></R><R/>'))).reason).toContain('more than one root');
  });

  it('does not copy document text into the reason', () => {
    const error = failed(parseXmlRecord(xml('<R><Name>Jane Doe</Nme></R>')));
    expect(error.reason).not.toContain('Jane');
  });

  it('refuses a root element other than the expected record element', () => {
    const error = failed(
      parseXmlRecord(xml('<Invoice><No>1</No></Invoice>'), { recordElement: 'SpendRecord' }),
    );
    expect(error.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(error.reason).toContain('<Invoice>');
  });

  it('refuses a record element without child elements', () => {
    expect(failed(parseXmlRecord(xml('<SpendRecord/>'))).code).toBe('SOURCE.SCHEMA_INVALID');
    expect(failed(parseXmlRecord(xml('<SpendRecord>just text</SpendRecord>'))).reason).toContain('only text');
  });

  it('refuses element names that would pollute object prototypes', () => {
    expect(failed(parseXmlRecord(xml('<R><__proto__><x>1</x></__proto__></R>'))).code).toBe(
      'SOURCE.PARSE_ERROR',
    );
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = `${'<a>'.repeat(40)}x${'</a>'.repeat(40)}`;
    const error = failed(parseXmlRecord(xml(deep)));
    expect(error.code).toBe('SOURCE.SCHEMA_INVALID');
    expect(error.reason).toContain('32 levels');
  });

  it('refuses empty and oversize messages', () => {
    expect(failed(parseXmlRecord(Buffer.alloc(0))).code).toBe('SOURCE.EMPTY');
    expect(failed(parseXmlRecord(xml('  \n'))).code).toBe('SOURCE.EMPTY');
    expect(failed(parseXmlRecord(xml(`<R><A>${'x'.repeat(100)}</A></R>`), { maxBytes: 64 })).code).toBe(
      'SIZE.TOO_LARGE',
    );
  });

  it('flags control characters in values', () => {
    const value = parsed(parseXmlRecord(xml('<R><A>ok</A><B><C>bad\u001b</C></B></R>')));
    expect(value.record).toEqual({ A: 'ok', B: { C: 'bad\u001b' } });
    expect(value.fieldsWithControlCharacters).toEqual(['B.C']);
  });

  it('drops character references to control characters (fast-xml-parser behaviour; XML 1.0 forbids them)', () => {
    expect(parsed(parseXmlRecord(xml('<R><C>a&#x1b;b</C></R>'))).record).toEqual({ C: 'ab' });
  });

  // Documents with only XML's five predefined references are parsed without the HTML entity tables (they
  // cost more than the parse); these pin that both kinds decode as they always did, in any order.
  it('decodes the same references whichever entity decoder the document needs', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['<R><A>&pound;5&nbsp;&euro;6 &copy; &hellip;</A></R>', { A: '£5\u00a0€6 © …' }],
      [
        '<R><A>Smith &amp; Sons &lt;Ltd&gt; &quot;q&quot; &apos;a&apos;</A><B x="a &amp; b">c</B></R>',
        { A: `Smith & Sons <Ltd> "q" 'a'`, B: { '#text': 'c', '@_x': 'a & b' } },
      ],
      [
        '<R><A>Smith &amp; Sons &#163;5</A><B x="&pound;">c</B></R>',
        { A: 'Smith & Sons £5', B: { '#text': 'c', '@_x': '£' } },
      ],
      ['<R><A>&unknown; &amp; &ampx; &AMP;</A></R>', { A: '&unknown; & &ampx; &AMP;' }],
      ['<R><A>&amp;amp; &#38;amp;</A></R>', { A: '&amp; &amp;' }],
      ['<R><A>plain</A></R>', { A: 'plain' }],
    ];
    for (let round = 0; round < 2; round += 1) {
      for (const [source, record] of round === 0 ? cases : [...cases].reverse()) {
        expect(parsed(parseXmlRecord(xml(source))).record).toEqual(record);
      }
    }
  });

  it('keeps nothing from one document to the next (XML version, refused entity expansion)', () => {
    expect(parsed(parseXmlRecord(xml('<?xml version="1.1"?><R><C>a&#x1b;b</C></R>'))).record).toEqual({
      C: 'a\u001bb',
    });
    expect(parsed(parseXmlRecord(xml('<R><C>a&#x1b;b</C></R>'))).record).toEqual({ C: 'ab' });
    const attack = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>`;
    expect(failed(parseXmlRecord(xml(attack))).code).toBe('SOURCE.PARSE_ERROR');
    expect(parsed(parseXmlRecord(xml('<R><A>&amp;&#163;</A></R>'))).record).toEqual({ A: '&£' });
  });
});
