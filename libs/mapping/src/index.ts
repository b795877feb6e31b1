/**
 * @hub/mapping: the declarative mapping engine. Mapping files (JSON data) are compiled once at start-up
 * into functions; `map()` turns one source record into validated canonical data, returning problems as
 * values. Also exports the value parsers (pence, dates, UPRN, NINO, postcode...).
 */
export { buildMappingRegistry } from './mapping.registry';
export type { FileFormat, InactiveFeed, MappingRegistry } from './mapping.registry';
export { loadMappingFiles } from './mapping-files.loader';
export { compileMapping, prepareEntities } from './mapping.compiler';
export type { CompiledMapping, PreparedEntity } from './mapping.compiler';
export { MappingConfigError } from './mapping-config.error';
export { setValidatorCrossCheck } from './canonical.validator';
export type {
  FieldIssue,
  FieldIssueCode,
  MapContext,
  MapFailure,
  MapResult,
  MapSuccess,
} from './map-result.types';
export { VALUE_TYPES } from './mapping-file.types';
export type {
  FieldRuleSpec,
  LoadedJsonFile,
  LookupFileSpec,
  LookupTable,
  MappingFileSpec,
  MappingFiles,
  Scalar,
  SourceFormat,
  ValueType,
} from './mapping-file.types';
export type { ParseFailure, ParseOk, ParseResult } from './parsers/parse-result';
export { parsePence } from './parsers/pence.parser';
export type { PenceOptions } from './parsers/pence.parser';
export { parseDate, parseDateTime } from './parsers/date.parser';
export type { DateOptions, DateTimeOptions } from './parsers/date.parser';
export { parseNino, parsePostcode, parseUprn, parseUsrn } from './parsers/identifier.parser';
export type { UprnOptions } from './parsers/identifier.parser';
export { parseDecimal, parseInteger } from './parsers/number.parser';
export type { DecimalOptions } from './parsers/number.parser';
export { parseBoolean } from './parsers/boolean.parser';
export { compileEnumParser, compileStringParser } from './parsers/text.parser';
export type { StringOptions } from './parsers/text.parser';
