/**
 * Shapes shared by every parser in this library. Parsers are pure functions over the bytes they are given and
 * return expected failures as values (`{ ok: false }`), so a feed can route a bad message to its DLQ with a
 * reason instead of catching exceptions.
 */

/** Machine-readable failure class; the hub copies it into DLQ headers and audit events. */
export type SourceFormatErrorCode =
  | 'SOURCE.PARSE_ERROR'
  | 'SOURCE.ENCODING_INVALID'
  | 'SIZE.TOO_LARGE'
  | 'SOURCE.SCHEMA_INVALID'
  | 'SOURCE.EMPTY';

/**
 * Why bytes could not be turned into records.
 *
 * `reason` is a sentence a person can act on. It never contains field values (they may be personal data): it
 * names fields, elements, line numbers and byte offsets only, so it is safe for logs, DLQ headers and the audit log.
 */
export interface SourceFormatError {
  code: SourceFormatErrorCode;
  reason: string;
  /** 1-based line in the decoded text, when the failure has one. */
  line?: number;
  /** 0-based offset in the original bytes (BOM included), for encoding failures. */
  byteOffset?: number;
}

/** Success with a value, or an expected failure. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: SourceFormatError };

/** A JSON object, an XML element as an object, or a CSV row keyed by its header. */
export type SourceRecord = Record<string, unknown>;

/** Encodings this library decodes (ISO-8859-1 and US-ASCII labels decode as windows-1252, see text-decoder). */
export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** Where the encoding came from: the caller's declaration, a byte order mark, or inspection of the bytes. */
export type EncodingSource = 'declared' | 'bom' | 'detected';

/** Text decoded from bytes, with the encoding actually used. */
export interface DecodedText {
  /** The text, without byte order mark. */
  text: string;
  encoding: TextEncodingName;
  encodingSource: EncodingSource;
  /** Length in bytes of the byte order mark that was stripped (0 when none). */
  bomBytes: number;
}

/** One record from a message (JSON object or XML element). */
export interface ParsedRecord {
  record: SourceRecord;
  encoding: TextEncodingName;
  /**
   * Paths (`supplier.name`, `lines[2].text`) of string values holding control characters other than tab, CR and
   * LF. They are returned as they are; the mapping layer decides whether to refuse them.
   */
  fieldsWithControlCharacters: string[];
  /** Paths of JSON integers beyond 2^53, whose digits JSON.parse could not keep exactly (always empty for XML). */
  fieldsWithImpreciseNumbers: string[];
}

/** A data row of a file export that became a record. */
export interface FileRecordRow {
  /** 1-based row number as a person counts rows in a spreadsheet (CSV) or the record's ordinal (XML). */
  rowNumber: number;
  /** 1-based line where the row starts in the decoded text, when known. */
  line?: number;
  record: SourceRecord;
}

/** A data row of a file export that could not become a record; the other rows are unaffected. */
export interface FileErrorRow {
  rowNumber: number;
  line?: number;
  error: SourceFormatError;
}

/** A row of a file export: a record or the reason it is not one. */
export type FileRow = FileRecordRow | FileErrorRow;

/** A file export split into rows. */
export interface ParsedFile {
  encoding: TextEncodingName;
  /** Hex SHA-256 of the bytes as received, for lineage and duplicate-upload detection. */
  sha256: string;
  /** CSV only: the column names used as record keys, in file order (ignored columns left out). */
  header?: string[];
  /** CSV only: the spreadsheet row number of the header row. */
  headerRowNumber?: number;
  /** CSV only: the field delimiter used. */
  delimiter?: string;
  rows: FileRow[];
  /** Rows above the header (titles, notes, blank lines); always 0 for XML. */
  skippedPreambleRows: number;
  /** Data rows that were entirely blank and therefore skipped (not errors). */
  skippedBlankRows: number;
  /** Columns with an empty header and no values, left out of the records (e.g. `column 14`). */
  ignoredColumns: string[];
}

/** Narrows a file row to one that carries a record. */
export function isRecordRow(row: FileRow): row is FileRecordRow {
  return 'record' in row;
}
