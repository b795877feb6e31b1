/**
 * @hub/source-formats — bytes a council system sends, turned into source records.
 *
 * Pure functions: no I/O beyond the bytes given; expected failures are returned as `{ ok: false, error }`
 * values, never thrown. This file is the library's only public door.
 */
export type {
  DecodedText,
  EncodingSource,
  FileErrorRow,
  FileRecordRow,
  FileRow,
  ParsedFile,
  ParsedRecord,
  ParseResult,
  SourceFormatError,
  SourceFormatErrorCode,
  SourceRecord,
  TextEncodingName,
} from './source-format.types';
export { isRecordRow } from './source-format.types';
export { decodeText } from './text-decoder';
export { sha256 } from './content-hash';
export { normaliseHeader, findColumn, findColumnKey } from './header-normaliser';
export { parseJsonRecord, type JsonRecordLimits } from './json-record.parser';
export { parseXmlRecord, type XmlRecordOptions } from './xml-record.parser';
export { parseXmlFile, type XmlFileOptions } from './xml-file.parser';
export { parseCsvFile, type CsvFileOptions } from './csv-file.parser';
export { collectValueFlags, type ValueFlags } from './value-flags';
export {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_FILE_XML_DEPTH,
  DEFAULT_MAX_PREAMBLE_ROWS,
  DEFAULT_MAX_RECORD_BYTES,
  DEFAULT_MAX_RECORD_DEPTH,
  DEFAULT_MAX_STRING_LENGTH,
} from './source-format.limits';
