import { fail, ok } from './parse-result';
import { DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_RECORD_DEPTH } from './source-format.limits';
import { collectValueFlags, type ValueFlags } from './value-flags';
import { elementToRecord, readXmlDocument } from './xml-document.reader';
import type { ParseResult, ParsedRecord } from './source-format.types';

/** Options for one XML message. */
export interface XmlRecordOptions {
  /** Name the root element must have (e.g. `SpendRecord`); any root is accepted when omitted. */
  recordElement?: string;
  /** Content type or charset label from the transport; otherwise BOM, the XML declaration, then detection. */
  declaredEncoding?: string;
  /** Largest payload in bytes (default 1 MiB). */
  maxBytes?: number;
  /** Deepest element nesting counted from the root (default 32). */
  maxDepth?: number;
}

/**
 * Parses one XML message (one record per message, e.g. `<SpendRecord><TransNo>…</TransNo>…</SpendRecord>`)
 * into a record made of the root element's children: nested elements become nested objects, repeated elements
 * arrays, attributes `@_name` fields (the root's own attributes included). All values are strings, exactly as
 * written but trimmed — "00123" stays "00123".
 *
 * Refuses DOCTYPE/ENTITY declarations and malformed XML with `SOURCE.PARSE_ERROR` (with the line), a root that
 * is not `recordElement` or that holds no child elements with `SOURCE.SCHEMA_INVALID`.
 */
export function parseXmlRecord(bytes: Buffer, options: XmlRecordOptions = {}): ParseResult<ParsedRecord> {
  const document = readXmlDocument(bytes, {
    declaredEncoding: options.declaredEncoding,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_RECORD_BYTES,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_RECORD_DEPTH,
    kind: 'XML message',
  });
  if (!document.ok) return document;
  const { rootName, rootValue, encoding } = document.value;

  if (options.recordElement !== undefined && rootName !== options.recordElement) {
    return fail(
      'SOURCE.SCHEMA_INVALID',
      `The XML message's root element is <${rootName}> but this feed expects <${options.recordElement}>.`,
    );
  }

  const content = elementToRecord(rootValue);
  if (content.kind === 'text') {
    return fail(
      'SOURCE.SCHEMA_INVALID',
      content.text === ''
        ? `The <${rootName}> element is empty; expected child elements with the record's fields.`
        : `The <${rootName}> element holds only text; expected child elements with the record's fields.`,
    );
  }

  const { record } = content;
  const flags: ValueFlags = { controlCharacters: [], impreciseNumbers: [] };
  collectValueFlags(record, '', flags);
  return ok({
    record,
    encoding,
    fieldsWithControlCharacters: flags.controlCharacters,
    fieldsWithImpreciseNumbers: [],
  });
}
