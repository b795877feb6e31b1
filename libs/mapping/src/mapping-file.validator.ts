import {
  VALUE_TYPES,
  type FieldRuleSpec,
  type LoadedJsonFile,
  type LookupFileSpec,
  type MappingFileSpec,
} from './mapping-file.types';

/**
 * Structural checks of mapping and lookup files (shape and types of every key), before compilation.
 * Each problem names the file and the JSON path, e.g. `warwickshire-spend-csv.json: fields.paymentDate.type`.
 */

type Problems = string[];
type Json = Record<string, unknown>;

const RULE_KEYS: Readonly<Record<keyof FieldRuleSpec, (v: unknown) => string | undefined>> = {
  from: (v) =>
    isString(v) || (Array.isArray(v) && v.length > 0 && v.every(isString))
      ? undefined
      : 'must be a name or a non-empty list of names',
  concat: (v) =>
    Array.isArray(v) && v.length > 1 && v.every(isString)
      ? undefined
      : 'must be a list of at least two names',
  separator: (v) => (typeof v === 'string' ? undefined : 'must be a string'),
  constant: (v) => (isScalar(v) ? undefined : 'must be a string, number or boolean'),
  expr: (v) => (isString(v) ? undefined : 'must be a JSONata expression string'),
  type: (v) =>
    (VALUE_TYPES as readonly unknown[]).includes(v) ? undefined : `must be one of ${VALUE_TYPES.join(', ')}`,
  required: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  default: (v) => (isScalar(v) ? undefined : 'must be a string, number or boolean'),
  absent: (v) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'must be a list of strings',
  absentPattern: (v) => regexProblem(v),
  lookup: (v) => (isString(v) ? undefined : 'must be a lookup table name'),
  original: (v) => (isString(v) ? undefined : 'must be a canonical field path'),
  omitIf: (v) => (isString(v) ? undefined : 'must be a canonical boolean field path'),
  onInvalid: (v) => (v === 'error' || v === 'warn' ? undefined : 'must be "error" or "warn"'),
  matches: (v) => regexProblem(v),
  values: (v) =>
    Array.isArray(v) && v.length > 0 && v.every(isString) ? undefined : 'must be a non-empty list of strings',
  excelSerial: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  timezone: (v) => (v === 'Europe/London' || v === 'UTC' ? undefined : 'must be "Europe/London" or "UTC"'),
  unit: (v) => (v === 'pounds' || v === 'pence' ? undefined : 'must be "pounds" or "pence"'),
  scale: (v) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 12
      ? undefined
      : 'must be an integer from 0 to 12',
  spreadsheetRounding: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  keepRawIn: (v) => (isString(v) ? undefined : 'must be a canonical field path'),
  case: (v) => (v === 'upper' || v === 'lower' ? undefined : 'must be "upper" or "lower"'),
  removeSpaces: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  extract: (v) => regexProblem(v),
};

function isString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function regexProblem(v: unknown): string | undefined {
  if (!isString(v)) return 'must be a regular expression string';
  try {
    new RegExp(v, 'iu');
    return undefined;
  } catch {
    return 'is not a valid regular expression';
  }
}

function checkRule(rule: unknown, where: string, problems: Problems): void {
  if (!isObject(rule)) {
    problems.push(`${where} must be an object (a field rule)`);
    return;
  }
  for (const [key, value] of Object.entries(rule)) {
    const check = RULE_KEYS[key as keyof FieldRuleSpec];
    if (check === undefined) {
      problems.push(`${where}.${key} is not a rule option (known: ${Object.keys(RULE_KEYS).join(', ')})`);
      continue;
    }
    const problem = check(value);
    if (problem !== undefined) problems.push(`${where}.${key} ${problem}`);
  }
  const sources = (['from', 'concat', 'constant', 'expr'] as const).filter((k) => rule[k] !== undefined);
  if (sources.length !== 1) {
    problems.push(
      `${where} must have exactly one of from, concat, constant, expr (has ${sources.length === 0 ? 'none' : sources.join(', ')})`,
    );
  }
}

function checkLookupTable(table: unknown, where: string, problems: Problems): void {
  if (!isObject(table)) {
    problems.push(`${where} must be an object of source value to canonical value`);
    return;
  }
  for (const [key, value] of Object.entries(table)) {
    if (!isScalar(value)) problems.push(`${where}["${key}"] must be a string, number or boolean`);
  }
}

/** Validates the shape of a mapping file; returns the typed spec or the problems found. */
export function validateMappingFile(file: LoadedJsonFile): { spec?: MappingFileSpec; problems: string[] } {
  const problems: Problems = [];
  const at = (path: string): string => `${file.path}: ${path}`;
  const c = file.content;
  if (!isObject(c)) return { problems: [`${file.path}: must contain a JSON object (a mapping file)`] };
  const known = new Set([
    '$comment',
    'id',
    'version',
    'entity',
    'format',
    'description',
    'root',
    'absent',
    'recordId',
    'operation',
    'fields',
    'lookups',
  ]);
  for (const key of Object.keys(c))
    if (!known.has(key))
      problems.push(at(`${key} is not a mapping file key (known: ${[...known].join(', ')})`));
  if (!isString(c['id']) || !/^[a-z0-9][a-z0-9.-]*$/.test(c['id']))
    problems.push(at('id must be a lower-case id such as coventry.finance.spend-json'));
  if (!Number.isInteger(c['version']) || (c['version'] as number) < 1)
    problems.push(at('version must be a positive integer'));
  if (!isString(c['entity'])) problems.push(at('entity must name a canonical entity, e.g. finance.spend'));
  if (c['format'] !== 'csv' && c['format'] !== 'json' && c['format'] !== 'xml')
    problems.push(at('format must be "csv", "json" or "xml"'));
  if (c['description'] !== undefined && typeof c['description'] !== 'string')
    problems.push(at('description must be a string'));
  if (c['root'] !== undefined && !isString(c['root'])) problems.push(at('root must be an element name'));
  if (
    c['absent'] !== undefined &&
    !(Array.isArray(c['absent']) && c['absent'].every((x) => typeof x === 'string'))
  ) {
    problems.push(at('absent must be a list of strings'));
  }
  if (c['recordId'] === undefined)
    problems.push(at('recordId is required (the rule giving the source record id)'));
  else checkRule(c['recordId'], at('recordId'), problems);
  if (c['operation'] !== undefined) checkRule(c['operation'], at('operation'), problems);
  if (!isObject(c['fields']) || Object.keys(c['fields']).length === 0)
    problems.push(at('fields must be an object of canonical path to rule'));
  else
    for (const [path, rule] of Object.entries(c['fields'])) checkRule(rule, at(`fields.${path}`), problems);
  if (c['lookups'] !== undefined) {
    if (!isObject(c['lookups'])) problems.push(at('lookups must be an object of table name to table'));
    else
      for (const [name, table] of Object.entries(c['lookups']))
        checkLookupTable(table, at(`lookups.${name}`), problems);
  }
  return problems.length > 0 ? { problems } : { spec: c as unknown as MappingFileSpec, problems };
}

/** Validates the shape of a shared lookup file. */
export function validateLookupFile(file: LoadedJsonFile): { spec?: LookupFileSpec; problems: string[] } {
  const problems: Problems = [];
  const c = file.content;
  if (!isObject(c)) return { problems: [`${file.path}: must contain a JSON object (a lookup file)`] };
  if (!isString(c['name']) || !/^[a-z0-9][a-z0-9.-]*$/.test(c['name']))
    problems.push(`${file.path}: name must be a lower-case id such as waste.defra-flytip-waste-type`);
  if (c['description'] !== undefined && typeof c['description'] !== 'string')
    problems.push(`${file.path}: description must be a string`);
  checkLookupTable(c['entries'], `${file.path}: entries`, problems);
  return problems.length > 0 ? { problems } : { spec: c as unknown as LookupFileSpec, problems };
}
