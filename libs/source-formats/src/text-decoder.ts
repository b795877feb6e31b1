import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { fail, ok } from './parse-result';
import type { DecodedText, EncodingSource, ParseResult, TextEncodingName } from './source-format.types';

/** Charset labels accepted in a declaration, mapped to the decoder used. */
const CHARSET_LABELS: ReadonlyMap<string, TextEncodingName> = new Map<string, TextEncodingName>([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['unicode-1-1-utf-8', 'utf-8'],
  ['windows-1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  ['x-cp1252', 'windows-1252'],
  // Files labelled ISO-8859-1 or ASCII nearly always carry Windows-1252 punctuation in 0x80-0x9F (curly quotes,
  // en dash, the euro sign), so, like the WHATWG Encoding Standard and every browser, decode them as windows-1252.
  ['iso-8859-1', 'windows-1252'],
  ['iso8859-1', 'windows-1252'],
  ['iso_8859-1', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['l1', 'windows-1252'],
  ['us-ascii', 'windows-1252'],
  ['ascii', 'windows-1252'],
  ['utf-16le', 'utf-16le'],
  // WHATWG: a bare "utf-16" label means little-endian (what Windows tools write); a BOM still overrides it.
  ['utf-16', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
]);

const SUPPORTED_LABELS = 'utf-8, windows-1252, iso-8859-1, utf-16le, utf-16be';

const ICONV_NAMES: Record<TextEncodingName, string> = {
  'utf-8': 'utf-8',
  'windows-1252': 'windows-1252',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

interface Bom {
  encoding: TextEncodingName;
  length: number;
}

/**
 * Decodes bytes a council system sent into text.
 *
 * Order of precedence:
 * 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) — it wins over a declaration, as in the WHATWG Encoding
 *    Standard, because a BOM is written by the tool that produced the bytes while a declaration is often a
 *    feed-level guess;
 * 2. the declared charset: a bare label (`windows-1252`) or a content type (`text/csv; charset=windows-1252`);
 * 3. detection: valid UTF-8 is UTF-8, anything else is windows-1252 (e.g. the £ sign as byte 0xA3).
 *
 * The BOM is stripped. Fails with `SOURCE.ENCODING_INVALID` (naming the byte offset) for invalid bytes in
 * declared UTF-8, an odd number of bytes in UTF-16, bytes that mix UTF-8 with another encoding when nothing was
 * declared, an unsupported declared charset, or a NUL character anywhere in the text (binary data or UTF-16
 * read as something else). Empty input decodes to empty text.
 */
export function decodeText(bytes: Buffer, declared?: string): ParseResult<DecodedText> {
  const bom = readBom(bytes);
  let declaredEncoding: TextEncodingName | undefined;
  const label = charsetLabel(declared);
  if (label !== undefined) {
    declaredEncoding = CHARSET_LABELS.get(label);
    if (declaredEncoding === undefined) {
      return fail(
        'SOURCE.ENCODING_INVALID',
        `The declared charset "${label}" is not supported; declare one of ${SUPPORTED_LABELS}.`,
      );
    }
  }

  let encoding: TextEncodingName;
  let source: EncodingSource;
  if (bom !== undefined) {
    encoding = bom.encoding;
    source = 'bom';
  } else if (declaredEncoding !== undefined) {
    encoding = declaredEncoding;
    source = 'declared';
  } else {
    const detected = detectEncoding(bytes);
    if (!detected.ok) return detected;
    encoding = detected.value;
    source = 'detected';
  }

  const bomBytes = bom?.length ?? 0;
  const body = bytes.subarray(bomBytes);

  if (encoding === 'utf-8' && !isUtf8(body)) {
    // Only reachable when UTF-8 was declared or signalled by a BOM: detection never picks invalid UTF-8.
    const offset = bomBytes + firstInvalidUtf8Offset(body);
    return fail(
      'SOURCE.ENCODING_INVALID',
      `The bytes are not valid UTF-8 (first invalid byte at offset ${offset}); re-export the data as UTF-8 or declare its real charset (for example windows-1252).`,
      { byteOffset: offset },
    );
  }
  if ((encoding === 'utf-16le' || encoding === 'utf-16be') && body.length % 2 !== 0) {
    const offset = bytes.length - 1;
    return fail(
      'SOURCE.ENCODING_INVALID',
      `UTF-16 text must have an even number of bytes but this has an odd one (stray byte at offset ${offset}); the data is truncated or not UTF-16.`,
      { byteOffset: offset },
    );
  }

  // stripBOM is off because the BOM was already cut off above (and a second one is content, not a marker).
  // UTF-8 was checked valid above, so Buffer#toString gives the same text as iconv's streaming decoder at half
  // the cost (this runs for every record).
  const text =
    encoding === 'utf-8'
      ? body.toString('utf8')
      : iconv.decode(body, ICONV_NAMES[encoding], { stripBOM: false });

  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const offset = bomBytes + byteOffsetOfChar(text, nul, encoding);
    const hint =
      encoding === 'utf-8' && looksLikeUtf16WithoutBom(body)
        ? ' It looks like UTF-16 without a byte order mark: declare charset=utf-16le (or utf-16be).'
        : ' Text data must not contain NUL; check that this is a text export and that its charset is right.';
    return fail(
      'SOURCE.ENCODING_INVALID',
      `The text contains a NUL character at byte offset ${offset}.${hint}`,
      {
        byteOffset: offset,
      },
    );
  }

  return ok({ text, encoding, encodingSource: source, bomBytes });
}

/**
 * Extracts a charset label from a declaration: either a bare label or a content type with `; charset=`.
 * A content type without charset (`application/json`) declares nothing.
 */
function charsetLabel(declared: string | undefined): string | undefined {
  if (declared === undefined) return undefined;
  const trimmed = declared.trim();
  if (trimmed === '') return undefined;
  if (trimmed.includes(';') || trimmed.includes('/') || /charset\s*=/i.test(trimmed)) {
    const match = /charset\s*=\s*"?([^";\s]+)"?/i.exec(trimmed);
    return match?.[1]?.toLowerCase();
  }
  return trimmed.toLowerCase();
}

function readBom(bytes: Buffer): Bom | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8', length: 3 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * Valid UTF-8 (which includes plain ASCII) is UTF-8; anything else is taken as windows-1252, the default of
 * Excel and of the finance systems councils export from. The exception is bytes that hold well-formed UTF-8
 * multi-byte characters *and* invalid sequences: reading those as windows-1252 would silently turn every
 * UTF-8 character into mojibake ("Â£"), so the caller must say what the file is.
 */
function detectEncoding(bytes: Buffer): ParseResult<TextEncodingName> {
  if (isUtf8(bytes)) return ok('utf-8');
  const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  if (/[^\u0000-\u007f\ufffd]/.test(lenient)) {
    const offset = firstInvalidUtf8Offset(bytes);
    return fail(
      'SOURCE.ENCODING_INVALID',
      `The bytes mix UTF-8 characters with bytes that are not UTF-8 (first at offset ${offset}), so the encoding cannot be detected; re-export as UTF-8 or declare the charset.`,
      { byteOffset: offset },
    );
  }
  return ok('windows-1252');
}

/**
 * Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. Uses the platform's lenient
 * decoder: everything before its first U+FFFD decoded exactly, so the byte count up to there is exact (a real
 * U+FFFD in the input, bytes EF BF BD, is told apart by looking at the bytes).
 */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  let offset = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (
      codePoint === 0xfffd &&
      !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)
    ) {
      return offset;
    }
    offset += utf8Length(codePoint);
  }
  return -1;
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

function byteOffsetOfChar(text: string, index: number, encoding: TextEncodingName): number {
  switch (encoding) {
    case 'utf-8':
      return Buffer.byteLength(text.slice(0, index), 'utf8');
    case 'windows-1252':
      return index;
    case 'utf-16le':
    case 'utf-16be':
      return index * 2;
  }
}

/** UTF-16 of mostly-ASCII text has a NUL in every other byte; a stray NUL in real UTF-8 text does not. */
function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  let nuls = 0;
  for (const byte of sample) if (byte === 0) nuls += 1;
  return sample.length >= 4 && nuls * 3 >= sample.length;
}
