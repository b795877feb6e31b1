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

  it('refuses control characters XML 1.0 forbids, written or as references, with their line', () => {
    const written = failed(parseXmlRecord(xml('<R>\n<A>ok</A><B><C>bad\u001b</C></B></R>')));
    expect(written.code).toBe('SOURCE.PARSE_ERROR');
    expect(written.line).toBe(2);
    expect(written.reason).toContain('a character XML does not allow');
    // fast-xml-parser, used before saxes, dropped such a reference silently: the value lost a character.
    const reference = failed(parseXmlRecord(xml('<R><C>a&#x1b;b</C></R>')));
    expect(reference.code).toBe('SOURCE.PARSE_ERROR');
    expect(reference.reason).toContain('names a character XML does not allow');
  });

  it('keeps the control characters XML 1.1 allows as references, and flags them like JSON', () => {
    const value = parsed(parseXmlRecord(xml('<?xml version="1.1"?><R><A>ok</A><B><C>bad&#x1b;</C></B></R>')));
    expect(value.record).toEqual({ A: 'ok', B: { C: 'bad\u001b' } });
    expect(value.fieldsWithControlCharacters).toEqual(['B.C']);
  });

  it('decodes predefined, numeric and common HTML references, in text and attributes', () => {
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
      ['<R><A>&amp;amp; &#38;amp;</A></R>', { A: '&amp; &amp;' }],
      ['<R><A>plain</A></R>', { A: 'plain' }],
    ];
    for (let round = 0; round < 2; round += 1) {
      for (const [source, record] of round === 0 ? cases : [...cases].reverse()) {
        expect(parsed(parseXmlRecord(xml(source))).record).toEqual(record);
      }
    }
  });

  it('refuses an entity XML does not define (fast-xml-parser kept it as text)', () => {
    for (const reference of ['&unknown;', '&ampx;', '&AMP;']) {
      const error = failed(parseXmlRecord(xml(`<R><A>Smith ${reference} Sons</A></R>`)));
      expect(error.code).toBe('SOURCE.PARSE_ERROR');
      expect(error.reason).toContain('an entity reference XML does not define');
      expect(error.reason).toContain('line 1, column');
    }
  });

  it('keeps nothing from one document to the next (XML version, refused entity expansion)', () => {
    expect(parsed(parseXmlRecord(xml('<?xml version="1.1"?><R><C>a&#x1b;b</C></R>'))).record).toEqual({
      C: 'a\u001bb',
    });
    expect(failed(parseXmlRecord(xml('<R><C>a&#x1b;b</C></R>'))).code).toBe('SOURCE.PARSE_ERROR');
    const attack = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>`;
    expect(failed(parseXmlRecord(xml(attack))).code).toBe('SOURCE.PARSE_ERROR');
    expect(parsed(parseXmlRecord(xml('<R><A>&amp;&#163;</A></R>'))).record).toEqual({ A: '&£' });
  });

  it('builds text as fast-xml-parser did: pieces trimmed and joined, CDATA as written, children before text before attributes', () => {
    const value = parsed(
      parseXmlRecord(xml('<R><A k=" v ">x <!-- c --> y<B>1</B> <![CDATA[ z ]]></A><C>  </C><D/></R>')),
    );
    expect(value.record).toEqual({ A: { B: '1', '#text': 'xy z ', '@_k': 'v' }, C: '', D: '' });
    expect(Object.keys(value.record['A'] as object)).toEqual(['B', '#text', '@_k']);
  });

  it("keeps elements named like Object.prototype's methods under a __ prefix, and refuses prototype names as attributes", () => {
    expect(parsed(parseXmlRecord(xml('<R><toString>1</toString><valueOf>2</valueOf></R>'))).record).toEqual({
      __toString: '1',
      __valueOf: '2',
    });
    expect(failed(parseXmlRecord(xml('<R><A constructor="x">1</A></R>'))).code).toBe('SOURCE.PARSE_ERROR');
  });

  it('allows nesting down to the limit and refuses one level more', () => {
    const nested = (levels: number) => `<R>${'<a>'.repeat(levels)}x${'</a>'.repeat(levels)}</R>`;
    expect(parsed(parseXmlRecord(xml(nested(3)), { maxDepth: 3 })).record).toEqual({ a: { a: { a: 'x' } } });
    expect(failed(parseXmlRecord(xml(nested(4)), { maxDepth: 3 })).code).toBe('SOURCE.SCHEMA_INVALID');
  });

  it('points at an unescaped & (not at where the parser gave up), outside CDATA sections and comments only', () => {
    const error = failed(
      parseXmlRecord(xml('<R>\n<A><![CDATA[a & b]]></A><!-- & -->\n<B k="1">Smith & Sons</B></R>')),
    );
    expect(error.code).toBe('SOURCE.PARSE_ERROR');
    expect(error.line).toBe(3);
    expect(error.reason).toBe(
      'The XML message is not well-formed XML: an unescaped & (write it as &amp;) at line 3, column 16.',
    );
    expect(parsed(parseXmlRecord(xml('<R><A><![CDATA[a & b]]></A><!-- & --></R>'))).record).toEqual({
      A: 'a & b',
    });
  });

  it('skips line breaks before the XML declaration and still counts them in lines', () => {
    const source = '\r\n\n<?xml version="1.0"?>\n<R><A>1</A>\n<B></A></R>';
    const error = failed(parseXmlRecord(xml(source)));
    // Lines 1 and 2 are the CRLF and the LF, the declaration is on line 3, the crossed tags on line 5.
    expect(error.line).toBe(5);
    expect(error.reason).toContain('a tag is malformed, unclosed or closed in the wrong order at line 5');
    expect(parsed(parseXmlRecord(xml('\n<?xml version="1.0"?><R><A>1</A></R>'))).record).toEqual({ A: '1' });
  });
});
