import { decodeText } from './text-decoder';
import type { DecodedText, ParseResult, SourceFormatError } from './source-format.types';

function decoded(result: ParseResult<DecodedText>): DecodedText {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.reason}`);
  return result.value;
}

function failed<T>(result: ParseResult<T>): SourceFormatError {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

describe('decodeText', () => {
  it('detects plain UTF-8 and reports it', () => {
    const value = decoded(decodeText(Buffer.from('Café £5', 'utf8')));
    expect(value).toEqual({ text: 'Café £5', encoding: 'utf-8', encodingSource: 'detected', bomBytes: 0 });
  });

  it('falls back to windows-1252 for bytes that are not UTF-8 (0xA3 is the pound sign)', () => {
    const value = decoded(decodeText(Buffer.from([0x41, 0x6d, 0x74, 0x20, 0xa3, 0x35, 0x96])));
    expect(value.text).toBe('Amt £5–');
    expect(value.encoding).toBe('windows-1252');
    expect(value.encodingSource).toBe('detected');
  });

  it('strips and reports a UTF-8 BOM', () => {
    const value = decoded(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0x2c, 0x42])));
    expect(value).toEqual({ text: 'A,B', encoding: 'utf-8', encodingSource: 'bom', bomBytes: 3 });
  });

  it('decodes UTF-16LE and UTF-16BE by their BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('£1', 'utf16le')]);
    expect(decoded(decodeText(le))).toEqual({
      text: '£1',
      encoding: 'utf-16le',
      encodingSource: 'bom',
      bomBytes: 2,
    });
    const be = Buffer.from([0xfe, 0xff, 0x00, 0xa3, 0x00, 0x31]);
    expect(decoded(decodeText(be))).toEqual({
      text: '£1',
      encoding: 'utf-16be',
      encodingSource: 'bom',
      bomBytes: 2,
    });
  });

  it('honours a declared charset given as a label or in a content type', () => {
    const bytes = Buffer.from([0xa3, 0x31]);
    expect(decoded(decodeText(bytes, 'windows-1252'))).toMatchObject({
      text: '£1',
      encodingSource: 'declared',
    });
    expect(decoded(decodeText(bytes, 'text/csv; charset="ISO-8859-1"'))).toMatchObject({
      text: '£1',
      encoding: 'windows-1252',
    });
    const utf16 = Buffer.from('ok', 'utf16le');
    expect(decoded(decodeText(utf16, 'application/json;charset=utf-16le'))).toMatchObject({
      text: 'ok',
      encoding: 'utf-16le',
      encodingSource: 'declared',
    });
  });

  it('decodes ISO-8859-1 labels as windows-1252, so 0x96 is an en dash rather than a C1 control', () => {
    expect(decoded(decodeText(Buffer.from([0x31, 0x96, 0x32]), 'iso-8859-1')).text).toBe('1–2');
  });

  it('treats a content type without charset as no declaration', () => {
    expect(decoded(decodeText(Buffer.from('{}'), 'application/json')).encodingSource).toBe('detected');
  });

  it('lets a BOM win over a declared charset', () => {
    const value = decoded(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0xc2, 0xa3]), 'windows-1252'));
    expect(value).toMatchObject({ text: '£', encoding: 'utf-8', encodingSource: 'bom' });
  });

  it('refuses invalid bytes in declared UTF-8, naming the byte offset', () => {
    const error = failed(decodeText(Buffer.from([0x41, 0x42, 0xe2, 0x82, 0xac, 0xa3, 0x43]), 'utf-8'));
    expect(error.code).toBe('SOURCE.ENCODING_INVALID');
    expect(error.byteOffset).toBe(5);
    expect(error.reason).toContain('offset 5');
  });

  it('counts the BOM in the offset of an invalid byte', () => {
    const error = failed(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xff])));
    expect(error).toMatchObject({ code: 'SOURCE.ENCODING_INVALID', byteOffset: 4 });
  });

  it('does not mistake a genuine U+FFFD for an invalid byte', () => {
    const error = failed(decodeText(Buffer.from([0xef, 0xbf, 0xbd, 0x41, 0xc3]), 'utf-8'));
    expect(error.byteOffset).toBe(4);
  });

  it('refuses undeclared bytes that mix UTF-8 characters with invalid ones instead of producing mojibake', () => {
    const error = failed(decodeText(Buffer.from([0x43, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xa3, 0x35])));
    expect(error).toMatchObject({ code: 'SOURCE.ENCODING_INVALID', byteOffset: 6 });
    // Declaring the charset is the way out, as the reason says.
    expect(error.reason).toContain('declare the charset');
    expect(decoded(decodeText(Buffer.from([0xc3, 0xa9, 0xa3]), 'windows-1252')).text).toBe('Ã©£');
  });

  it('refuses NUL characters, naming the byte offset', () => {
    const error = failed(decodeText(Buffer.from('ab\u0000c', 'utf8')));
    expect(error).toMatchObject({ code: 'SOURCE.ENCODING_INVALID', byteOffset: 2 });
  });

  it('hints at UTF-16 when BOM-less UTF-16 is read as UTF-8', () => {
    const error = failed(decodeText(Buffer.from('Amount,Date', 'utf16le')));
    expect(error.code).toBe('SOURCE.ENCODING_INVALID');
    expect(error.reason).toContain('utf-16le');
  });

  it('refuses UTF-16 with an odd number of bytes', () => {
    const error = failed(decodeText(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42])));
    expect(error).toMatchObject({ code: 'SOURCE.ENCODING_INVALID', byteOffset: 4 });
  });

  it('refuses a declared charset it does not support, without guessing', () => {
    const error = failed(decodeText(Buffer.from('x'), 'text/csv; charset=ebcdic-uk'));
    expect(error.code).toBe('SOURCE.ENCODING_INVALID');
    expect(error.reason).toContain('ebcdic-uk');
  });

  it('decodes empty input to empty text', () => {
    expect(decoded(decodeText(Buffer.alloc(0)))).toMatchObject({ text: '', encoding: 'utf-8' });
  });
});
