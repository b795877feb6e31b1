import { sha256 } from './content-hash';
import { fail, ok, sourceError } from './parse-result';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILE_XML_DEPTH } from './source-format.limits';
import { elementToRecord, isObject, readXmlDocument } from './xml-document.reader';
import type { FileRow, ParseResult, ParsedFile } from './source-format.types';

/** Options for an XML file export. */
export interface XmlFileOptions {
  /** Dotted path from the root element to the repeated record element, e.g. `Export.Spend.Row`. */
  recordPath: string;
  /** Content type or charset label from the upload; otherwise BOM, the XML declaration, then detection. */
  declaredEncoding?: string;
  /** Largest file in bytes (default 50 MiB). */
  maxBytes?: number;
  /** Deepest element nesting counted from the root (default 64). */
  maxDepth?: number;
}

/**
 * Splits an XML file export into rows, one per element at `recordPath`, in document order. Each record is
 * built as in `parseXmlRecord` (strings only, attributes as `@_name`). `rowNumber` is the record's ordinal
 * (1 = first record element) and `line` the line of its start tag.
 *
 * Empty record elements (`<Row/>`) are skipped and counted like blank CSV rows; a record element holding only
 * text becomes an error row. A root element other than the first path segment, or a missing container element
 * on the path, fails the whole file with `SOURCE.SCHEMA_INVALID`; containers present without record elements
 * give zero rows (an export for a period with nothing in it). Intermediate containers may repeat.
 */
export function parseXmlFile(bytes: Buffer, options: XmlFileOptions): ParseResult<ParsedFile> {
  const segments = options.recordPath.split('.').map((segment) => segment.trim());
  if (segments.length < 2 || segments.some((segment) => segment === '')) {
    return fail(
      'SOURCE.SCHEMA_INVALID',
      `The record path "${options.recordPath}" must name the root element and the record element, e.g. Export.Spend.Row.`,
    );
  }
  const document = readXmlDocument(bytes, {
    declaredEncoding: options.declaredEncoding,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_FILE_XML_DEPTH,
    kind: 'XML file',
    arrayPath: segments.join('.'),
  });
  if (!document.ok) return document;
  const { rootName, rootValue, encoding, lineOf } = document.value;

  const [rootSegment, ...rest] = segments;
  if (rootName !== rootSegment) {
    return fail(
      'SOURCE.SCHEMA_INVALID',
      `The XML file's root element is <${rootName}> but the record path ${options.recordPath} starts at <${rootSegment}>.`,
    );
  }

  const recordName = rest[rest.length - 1] ?? '';
  let containers: unknown[] = [rootValue];
  let parentName = rootName;
  for (const name of rest.slice(0, -1)) {
    const next: unknown[] = [];
    for (const container of containers) {
      if (!isObject(container) || !(name in container)) continue;
      const child = container[name];
      if (Array.isArray(child)) next.push(...child);
      else next.push(child);
    }
    if (next.length === 0) {
      return fail(
        'SOURCE.SCHEMA_INVALID',
        `The XML file has no <${name}> element under <${parentName}> (record path ${options.recordPath}).`,
      );
    }
    containers = next;
    parentName = name;
  }

  const rows: FileRow[] = [];
  let skippedBlankRows = 0;
  let ordinal = 0;
  for (const container of containers) {
    if (!isObject(container)) continue; // an empty or text-only container holds no records
    const elements = container[recordName];
    for (const element of Array.isArray(elements) ? elements : []) {
      ordinal += 1;
      const line = isObject(element) ? lineOf.get(element) : undefined;
      const content = elementToRecord(element);
      if (content.kind === 'record') {
        rows.push(
          line === undefined
            ? { rowNumber: ordinal, record: content.record }
            : { rowNumber: ordinal, line, record: content.record },
        );
      } else if (content.text === '') {
        skippedBlankRows += 1;
      } else {
        rows.push({
          rowNumber: ordinal,
          error: sourceError(
            'SOURCE.SCHEMA_INVALID',
            `Record ${ordinal} (<${recordName}>) holds only text; expected child elements with the record's fields.`,
          ),
        });
      }
    }
  }

  return ok({
    encoding,
    sha256: sha256(bytes),
    rows,
    skippedPreambleRows: 0,
    skippedBlankRows,
    ignoredColumns: [],
  });
}
