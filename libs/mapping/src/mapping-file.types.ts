/**
 * The mapping file format: JSON data, never code. See libs/mapping/README.md for a full example.
 * A mapping file turns one source layout (one council system's event, or one file export layout) into
 * one canonical entity.
 */

/** Value types a rule can produce. */
export type ValueType =
  | 'string'
  | 'pence'
  | 'decimal'
  | 'integer'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'uprn'
  | 'usrn'
  | 'postcode'
  | 'nino'
  | 'enum';

/** All value types, for validation. */
export const VALUE_TYPES: readonly ValueType[] = [
  'string',
  'pence',
  'decimal',
  'integer',
  'date',
  'datetime',
  'boolean',
  'uprn',
  'usrn',
  'postcode',
  'nino',
  'enum',
];

/** Source layouts: CSV columns are names; JSON and XML rules use dotted paths. */
export type SourceFormat = 'csv' | 'json' | 'xml';

/** A JSON scalar a rule may produce as a constant, default or lookup result. */
export type Scalar = string | number | boolean;

/**
 * How one canonical field is produced. Exactly one source: `from`, `concat`, `constant` or `expr`.
 * Order of work per record: read, trim, treat absent markers as missing, apply `default` / `required`,
 * then `matches` (flags) or `lookup`, then parse with `type`.
 */
export interface FieldRuleSpec {
  /** Column name (CSV) or dotted path (JSON/XML), or a list of aliases tried in order; or `$row` etc. */
  readonly from?: string | readonly string[];
  /** Several sources joined with `separator` (default `,`); missing if any part is missing. */
  readonly concat?: readonly string[];
  readonly separator?: string;
  /** A fixed value (parsed once, at start-up). */
  readonly constant?: Scalar;
  /** A JSONata expression over the source record (compiled once, at start-up; evaluated async). */
  readonly expr?: string;
  /** Value type (default `string`). */
  readonly type?: ValueType;
  /** Missing or empty is an error (`MAPPING.FIELD_MISSING`). */
  readonly required?: boolean;
  /** Used when the source value is missing or empty (parsed once, at start-up; no lookup applied). */
  readonly default?: Scalar;
  /** Literal values that mean "no value" for this field, case-insensitive (e.g. `NA`), besides the mapping's. */
  readonly absent?: readonly string[];
  /** Regular expression (case-insensitive) for values meaning "no value", e.g. `^redacted`. */
  readonly absentPattern?: string;
  /** Name of a lookup table (in this file's `lookups` or a shared lookup file) applied before `type`. */
  readonly lookup?: string;
  /** Canonical path that keeps the source value as it was before the lookup. */
  readonly original?: string;
  /**
   * Canonical boolean field; when the record sets it to true this field is left out. E.g. a redacted
   * supplier's VAT or company number: `"omitIf": "supplier.redacted"`.
   */
  readonly omitIf?: string;
  /** `warn`: an invalid value drops this optional field with a warning instead of failing the record. */
  readonly onInvalid?: 'error' | 'warn';
  /** boolean: true when the source value matches this regular expression (case-insensitive), else false. */
  readonly matches?: string;
  /** enum: allowed canonical values (default: the entity schema's enum). */
  readonly values?: readonly string[];
  /** date/datetime: accept spreadsheet serial numbers (43435 is 2018-12-01). */
  readonly excelSerial?: boolean;
  /** datetime: zone of times written without an offset (default Europe/London). */
  readonly timezone?: 'Europe/London' | 'UTC';
  /** pence: unit of the source value (default `pounds`). */
  readonly unit?: 'pounds' | 'pence';
  /** decimal: most decimal places accepted (default 6). */
  readonly scale?: number;
  /** uprn: a value ending in 000000 has been rounded by a spreadsheet (mangled). */
  readonly spreadsheetRounding?: boolean;
  /** uprn/usrn: canonical path that receives the raw value when it is mangled (the source key). */
  readonly keepRawIn?: string;
  /** string: change case. */
  readonly case?: 'upper' | 'lower';
  /** string: remove all whitespace. */
  readonly removeSpaces?: boolean;
  /** string: regular expression the value must match; the value becomes its capture groups. */
  readonly extract?: string;
}

/** A lookup table: source value to canonical value; the key `*` is the fallback for any other value. */
export type LookupTable = Readonly<Record<string, Scalar>>;

/** One mapping file. */
export interface MappingFileSpec {
  /** Unique id, by convention `<council>.<domain>.<entity>-<format>`. */
  readonly id: string;
  /** Integer, raised on every change; recorded in each canonical record's `mapping`. */
  readonly version: number;
  /** Entity name, e.g. `finance.spend`. */
  readonly entity: string;
  readonly format: SourceFormat;
  readonly description?: string;
  /** JSON/XML: name of a wrapping element (e.g. the XML root); stepped into when the record has it. */
  readonly root?: string;
  /** Literal values meaning "no value" in every field of this source (default `[""]`; empty always is). */
  readonly absent?: readonly string[];
  /** Rule giving the source record id (a string; required). */
  readonly recordId: FieldRuleSpec;
  /** Rule giving `upsert` or `delete` (default: always `upsert`). */
  readonly operation?: FieldRuleSpec;
  /** Canonical dotted path to rule. */
  readonly fields: Readonly<Record<string, FieldRuleSpec>>;
  readonly lookups?: Readonly<Record<string, LookupTable>>;
}

/** A shared lookup file: `libs/domains/<domain>/mappings/lookups/<name>.json`. */
export interface LookupFileSpec {
  /** Name rules refer to, e.g. `waste.defra-flytip-waste-type`. */
  readonly name: string;
  readonly description?: string;
  readonly entries: LookupTable;
}

/** A file as read from disk: its path (for messages) and its parsed JSON, not yet validated. */
export interface LoadedJsonFile {
  readonly path: string;
  readonly content: unknown;
}

/** Every mapping and shared lookup file of the repository. */
export interface MappingFiles {
  readonly mappings: readonly LoadedJsonFile[];
  readonly lookups: readonly LoadedJsonFile[];
}
