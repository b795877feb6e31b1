import { parse, type CsvError, type Options as CsvParseOptions } from 'csv-parse/sync';
import { sha256 } from './content-hash';
import { normaliseHeaderCached } from './header-normaliser';
import { countLineBreaks } from './line-index';
import { fail, ok, sourceError } from './parse-result';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PREAMBLE_ROWS } from './source-format.limits';
import { decodeText } from './text-decoder';
import type { FileRow, ParseResult, ParsedFile, SourceRecord } from './source-format.types';

/** Options for a CSV file export. */
export interface CsvFileOptions {
  /** Content type or charset label from the upload or the feed's configuration; otherwise BOM, then detection. */
  declaredEncoding?: string;
  /**
   * Groups of aliases for the columns the feed's mapping knows, e.g. `[['Transaction number', 'Transno'],
   * ['Amount', 'Net amount']]`. The header is the first row naming at least two groups (all, when fewer than two
   * are given; the first non-blank row when none are).
   */
  expectedColumns: readonly (readonly string[])[];
  /** How many rows at the top may precede the header (default 20). */
  maxPreambleRows?: number;
  /** Field delimiter; when omitted, comma, then semicolon, then tab is tried until a header is found. */
  delimiter?: string;
  /** Largest file in bytes (default 50 MiB). */
  maxBytes?: number;
}

/** Delimiters tried, in order, when none is configured. */
const DELIMITER_CANDIDATES = [',', ';', '\t'] as const;

/** A CSV record with the text line it starts on. */
interface RawRow {
  fields: string[];
  /** 1-based row number as a spreadsheet shows it (blank lines count). */
  rowNumber: number;
  /** 1-based line where the record starts (differs from rowNumber after quoted fields with line breaks). */
  line: number;
}

/**
 * Splits a CSV file export into rows of records keyed by the header.
 *
 * - Encoding as in `decodeText` (declared, BOM, UTF-8, else windows-1252); the BOM is not part of the header.
 * - The header is searched among the first `maxPreambleRows` rows, so titles, notes and blank lines above it are
 *   skipped (`skippedPreambleRows`). Header names are matched against `expectedColumns` after `normaliseHeader`.
 * - Record keys are the header names as written, trimmed. A repeated name gets a suffix (`Amount (2)`) so no
 *   value is silently overwritten; a column with an empty header but values is keyed `column N`.
 * - Columns whose header and values are all empty are left out and reported in `ignoredColumns`.
 * - Values are the raw text trimmed of surrounding whitespace (Devon pads amounts: " 519.89 "); nothing is
 *   converted. Rows shorter than the header get '' for the missing fields.
 * - Entirely blank rows are skipped and counted, not errors. A row with more non-blank fields than the header
 *   becomes an error row naming its line; other rows are unaffected.
 * - Quoted fields may contain delimiters, quotes ("") and line breaks; CRLF, LF and CR line ends all work, mixed.
 * - A quote that is never closed swallows the rest of the file, so it fails the whole file with the line it
 *   opens on rather than returning a silently truncated file.
 *
 * `rowNumber` counts rows as a spreadsheet does (header included, blank lines included); `line` is the text
 * line the row starts on.
 */
export function parseCsvFile(bytes: Buffer, options: CsvFileOptions): ParseResult<ParsedFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) {
    return fail(
      'SIZE.TOO_LARGE',
      `The CSV file is ${bytes.length} bytes, more than the limit of ${maxBytes} bytes; split the export.`,
    );
  }
  if (bytes.length === 0) return fail('SOURCE.EMPTY', 'The CSV file is empty.');

  const decoded = decodeText(bytes, options.declaredEncoding);
  if (!decoded.ok) return decoded;
  const { text, encoding } = decoded.value;
  if (text.trim() === '') return fail('SOURCE.EMPTY', 'The CSV file holds only blank lines.');

  const maxPreambleRows = options.maxPreambleRows ?? DEFAULT_MAX_PREAMBLE_ROWS;
  const delimiters: readonly string[] =
    options.delimiter === undefined ? DELIMITER_CANDIDATES : [options.delimiter];

  let delimiter: string | undefined;
  let headerIndex = -1;
  let firstError: ParseResult<ParsedFile> | undefined;
  let allRows: RawRow[] | undefined;
  for (const candidate of delimiters) {
    // Only the top of the file is read here; a wrong delimiter just finds no header.
    const top = readRows(text, candidate, maxPreambleRows);
    if (!top.ok) {
      firstError ??= top;
      continue;
    }
    headerIndex = findHeaderIndex(top.value, options.expectedColumns);
    if (headerIndex !== -1) {
      delimiter = candidate;
      // Fewer rows than asked for means the read reached the end of the text: it is the whole file, read with
      // the same options, so it is not read again (a one-record text/csv message is parsed once, not twice).
      if (top.value.length < maxPreambleRows) allRows = top.value;
      break;
    }
  }
  if (delimiter === undefined) {
    if (firstError !== undefined) return firstError;
    return fail(
      'SOURCE.SCHEMA_INVALID',
      `No header row found in the first ${maxPreambleRows} rows: expected a row naming ${describeExpected(options.expectedColumns)}${options.delimiter === undefined ? ', separated by commas, semicolons or tabs' : ''}.`,
    );
  }

  if (allRows === undefined) {
    const all = readRows(text, delimiter);
    if (!all.ok) return all;
    allRows = all.value;
  }
  const headerRow = allRows[headerIndex];
  if (headerRow === undefined)
    return fail('SOURCE.PARSE_ERROR', 'The CSV header row could not be read again.');
  const dataRows = allRows.slice(headerIndex + 1);

  const columns = planColumns(headerRow.fields, dataRows);
  const rows: FileRow[] = [];
  let skippedBlankRows = 0;
  for (const row of dataRows) {
    if (row.fields.every((field) => field.trim() === '')) {
      skippedBlankRows += 1;
      continue;
    }
    const width = headerRow.fields.length;
    if (row.fields.length > width && row.fields.slice(width).some((field) => field.trim() !== '')) {
      rows.push({
        rowNumber: row.rowNumber,
        line: row.line,
        error: sourceError(
          'SOURCE.PARSE_ERROR',
          `Row ${row.rowNumber} (line ${row.line}) has ${row.fields.length} fields but the header has ${width}; a value probably contains an unquoted delimiter or a space before its opening quote.`,
          { line: row.line },
        ),
      });
      continue;
    }
    const record: SourceRecord = {};
    for (const column of columns.kept) record[column.key] = (row.fields[column.index] ?? '').trim();
    rows.push({ rowNumber: row.rowNumber, line: row.line, record });
  }

  return ok({
    encoding,
    sha256: sha256(bytes),
    header: columns.kept.map((column) => column.key),
    headerRowNumber: headerRow.rowNumber,
    delimiter,
    rows,
    skippedPreambleRows: headerIndex,
    skippedBlankRows,
    ignoredColumns: columns.ignored,
  });
}

/**
 * Reads CSV records with csv-parse, tolerantly: rows may have any number of fields (checked against the header
 * afterwards, per row) and a quote inside an unquoted field is kept as text. Line numbers are counted here from
 * the line breaks inside each record's fields because csv-parse's own line counter drifts after quoted CRLFs.
 */
function readRows(text: string, delimiter: string, maxRows?: number): ParseResult<RawRow[]> {
  const rows: RawRow[] = [];
  let linesConsumed = 0;
  const options: CsvParseOptions = {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // The BOM was stripped by decodeText; a U+FEFF left here would be content.
    bom: false,
    on_record: (fields: string[]) => {
      rows.push({ fields, rowNumber: rows.length + 1, line: linesConsumed + 1 });
      linesConsumed += 1 + fields.reduce((sum, field) => sum + countLineBreaks(field), 0);
      return fields;
    },
  };
  if (maxRows !== undefined) options.to = maxRows;
  try {
    parse(text, options);
  } catch (error: unknown) {
    const line = linesConsumed + 1;
    const code = error instanceof Error && 'code' in error ? (error as CsvError).code : undefined;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      return fail(
        'SOURCE.PARSE_ERROR',
        `A quoted field in row ${rows.length + 1} (line ${line}) is never closed, so the rest of the file would be read as one value; close the quote or double quotes inside values ("").`,
        { line },
      );
    }
    return fail(
      'SOURCE.PARSE_ERROR',
      `The CSV could not be read at row ${rows.length + 1} (line ${line})${code === undefined ? '' : ` (${code})`}.`,
      { line },
    );
  }
  return ok(rows);
}

/** Index of the first row that names enough expected column groups, or -1. */
function findHeaderIndex(rows: readonly RawRow[], expected: readonly (readonly string[])[]): number {
  const groups = expected
    .map((aliases) => new Set(aliases.map(normaliseHeaderCached).filter((alias) => alias !== '')))
    .filter((group) => group.size > 0);
  const required = Math.min(2, groups.length);
  for (let i = 0; i < rows.length; i += 1) {
    const cells = new Set((rows[i]?.fields ?? []).map(normaliseHeaderCached).filter((cell) => cell !== ''));
    if (cells.size === 0) continue;
    const matched = groups.filter((group) => [...group].some((alias) => cells.has(alias))).length;
    if (matched >= required) return i;
  }
  return -1;
}

interface ColumnPlan {
  kept: Array<{ index: number; key: string }>;
  ignored: string[];
}

/** Decides the record key of every header column, leaving out columns with no header and no values. */
function planColumns(header: readonly string[], dataRows: readonly RawRow[]): ColumnPlan {
  const kept: ColumnPlan['kept'] = [];
  const ignored: string[] = [];
  const used = new Set<string>();
  header.forEach((raw, index) => {
    const name = raw.trim();
    if (name === '' && dataRows.every((row) => (row.fields[index] ?? '').trim() === '')) {
      ignored.push(`column ${index + 1}`);
      return;
    }
    const base = name === '' ? `column ${index + 1}` : name;
    let key = base;
    for (let n = 2; used.has(key); n += 1) key = `${base} (${n})`;
    used.add(key);
    kept.push({ index, key });
  });
  return { kept, ignored };
}

function describeExpected(expected: readonly (readonly string[])[]): string {
  const names = expected.map((aliases) => aliases[0]).filter((name): name is string => name !== undefined);
  if (names.length === 0) return 'its columns';
  const required = Math.min(2, names.length);
  return `${required === names.length ? 'all' : `at least ${required}`} of: ${names.join(', ')}`;
}
