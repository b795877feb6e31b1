import type { EntityField } from '@hub/canonical';
import jsonata from 'jsonata';
import { compileGetterOfCanonical, compileSetter, type CanonicalData } from './canonical-path.accessor';
import type { FieldIssue } from './map-result.types';
import type { FieldRuleSpec, Scalar, SourceFormat, ValueType } from './mapping-file.types';
import { parseBoolean } from './parsers/boolean.parser';
import { parseDate, parseDateTime } from './parsers/date.parser';
import { parseNino, parsePostcode, parseUprn, parseUsrn } from './parsers/identifier.parser';
import { parseDecimal, parseInteger } from './parsers/number.parser';
import type { ParseResult } from './parsers/parse-result';
import { parsePence } from './parsers/pence.parser';
import { compileEnumParser, compileStringParser, valueKey } from './parsers/text.parser';
import {
  CONTEXT_REF_NAMES,
  RecordView,
  SHAPE_MISMATCH,
  compileGetter,
  scalarOf,
  type SourceGetter,
} from './source-path.accessor';

/** Returned by a rule that produced no value (missing, or an issue was recorded). */
export const NO_VALUE: unique symbol = Symbol('no-value');

/** Per-record mutable state shared by the rules of one mapping. */
export interface MapState {
  readonly data: CanonicalData;
  errors: FieldIssue[] | undefined;
  warnings: FieldIssue[] | undefined;
}

/** A lookup table compiled for matching: keys by {@link valueKey}, plus the `*` fallback. */
export interface CompiledLookup {
  readonly name: string;
  readonly entries: ReadonlyMap<string, Scalar>;
  readonly fallback: Scalar | undefined;
}

/** A compiled field rule. */
export interface CompiledRule {
  /** Canonical path, or `recordId` / `operation`. */
  readonly field: string;
  readonly required: boolean;
  readonly warnOnInvalid: boolean;
  /** JSONata expression of the rule, evaluated before the sync rules; undefined for sync rules. */
  readonly expression: jsonata.Expression | undefined;
  /** Index of the expression's value in `RecordView.exprValues` (or -1). */
  readonly exprIndex: number;
  /** Produces the rule's value for one record, recording issues in `state`. */
  readonly resolve: (view: RecordView, state: MapState) => unknown;
  /** Writes a value at the rule's canonical path (fields only). */
  readonly write: (data: CanonicalData, value: unknown) => void;
  /** Reads the `omitIf` flag of a record (undefined when the rule has none). */
  readonly omitIf: ((data: CanonicalData) => unknown) | undefined;
}

/** What the compiler knows when compiling one rule. */
export interface RuleCompileInput {
  readonly field: string;
  readonly rule: FieldRuleSpec;
  readonly format: SourceFormat;
  /** `<mapping id> v<version>`, for messages. */
  readonly mappingLabel: string;
  /** Where problems are reported: `<file>: fields.<path>`. */
  readonly where: string;
  readonly absent: ReadonlySet<string>;
  readonly lookups: ReadonlyMap<string, CompiledLookup>;
  /** Canonical leaf fields of the entity, by path. */
  readonly entityFields: ReadonlyMap<string, EntityField>;
  /** Type forced by the caller (`recordId`: string; `operation`: enum upsert/delete). */
  readonly forcedType?: ValueType;
  readonly forcedValues?: readonly string[];
  readonly exprIndex: number;
}

/** JSON type each value type produces, to check it against the canonical field at start-up. */
export const OUTPUT_JSON_TYPE: Readonly<Record<ValueType, 'string' | 'integer' | 'number' | 'boolean'>> = {
  string: 'string',
  pence: 'integer',
  decimal: 'number',
  integer: 'integer',
  date: 'string',
  datetime: 'string',
  boolean: 'boolean',
  uprn: 'string',
  usrn: 'string',
  postcode: 'string',
  nino: 'string',
  enum: 'string',
};

const TYPE_OPTIONS: Readonly<Partial<Record<keyof FieldRuleSpec, readonly ValueType[]>>> = {
  matches: ['boolean'],
  values: ['enum'],
  excelSerial: ['date', 'datetime'],
  timezone: ['datetime'],
  unit: ['pence'],
  scale: ['decimal'],
  spreadsheetRounding: ['uprn'],
  keepRawIn: ['uprn', 'usrn'],
  case: ['string'],
  removeSpaces: ['string'],
  extract: ['string'],
};

/**
 * Compiles one field rule into a function. Everything that can be decided without the record is decided
 * here: the getter, the absent markers, the regular expressions, the lookup, the parser and its options,
 * the parsed default or constant, and the message texts.
 */
export function compileRule(input: RuleCompileInput): { rule?: CompiledRule; problems: string[] } {
  const { field, rule, where, mappingLabel } = input;
  const problems: string[] = [];
  const type: ValueType = input.forcedType ?? rule.type ?? 'string';
  if (input.forcedType !== undefined && rule.type !== undefined && rule.type !== input.forcedType) {
    problems.push(`${where}.type must be ${input.forcedType} (or left out)`);
  }
  for (const [option, types] of Object.entries(TYPE_OPTIONS) as [
    keyof FieldRuleSpec,
    readonly ValueType[],
  ][]) {
    if (rule[option] !== undefined && !types.includes(type))
      problems.push(`${where}.${option} applies only to type ${types.join('/')}`);
  }
  if (rule.original !== undefined && rule.lookup === undefined)
    problems.push(`${where}.original needs a lookup`);
  if (rule.constant !== undefined && (rule.lookup !== undefined || rule.matches !== undefined)) {
    problems.push(`${where}: a constant takes no lookup or matches`);
  }

  const leaf = input.entityFields.get(field);
  let enumValues = input.forcedValues ?? rule.values;
  if (type === 'enum' && input.forcedValues === undefined) {
    const schemaValues = leaf?.enum?.filter((v): v is string => typeof v === 'string');
    if (enumValues === undefined) enumValues = schemaValues;
    else if (schemaValues !== undefined) {
      const extra = enumValues.filter((v) => !schemaValues.includes(v));
      if (extra.length > 0)
        problems.push(`${where}.values has values the canonical field does not allow: ${extra.join(', ')}`);
    }
    if (enumValues === undefined || enumValues.length === 0)
      problems.push(`${where}: type enum needs values (in the rule or the canonical schema)`);
  }

  const parse = compileParser(type, rule, enumValues ?? []);
  const rawPathWriter = (
    path: string | undefined,
    option: string,
  ): ((data: CanonicalData, raw: string) => void) | undefined => {
    if (path === undefined) return undefined;
    const target = input.entityFields.get(path);
    if (target === undefined)
      problems.push(`${where}.${option} names "${path}", which is not a field of the entity`);
    else if (!target.types.includes('string'))
      problems.push(`${where}.${option} names "${path}", which is not a text field`);
    return compileSetter(path);
  };
  if (rule.omitIf !== undefined) {
    const flag = input.entityFields.get(rule.omitIf);
    if (flag === undefined || !flag.types.includes('boolean'))
      problems.push(`${where}.omitIf names "${rule.omitIf}", which is not a boolean field of the entity`);
    if (rule.omitIf === field) problems.push(`${where}.omitIf cannot name the field itself`);
    if (rule.required === true) problems.push(`${where}: a required field cannot have omitIf`);
  }
  const writeOriginal = rawPathWriter(rule.original, 'original');
  const writeRaw = rawPathWriter(rule.keepRawIn, 'keepRawIn');
  const hasRaw = rule.keepRawIn === undefined ? undefined : compileGetterOfCanonical(rule.keepRawIn);

  let lookup: CompiledLookup | undefined;
  if (rule.lookup !== undefined) {
    lookup = input.lookups.get(rule.lookup);
    if (lookup === undefined)
      problems.push(
        `${where}.lookup names "${rule.lookup}", which is neither in this file's lookups nor a shared lookup file`,
      );
  }

  // Source description for messages: names from the mapping file, never values.
  const describe =
    rule.from !== undefined
      ? `${input.format === 'csv' ? 'column' : 'path'} '${[rule.from].flat()[0]}'`
      : rule.concat !== undefined
        ? `'${rule.concat.join("' + '")}'`
        : rule.expr !== undefined
          ? 'the expression'
          : 'the constant';
  const ruleText = `(rule: ${type}; mapping ${mappingLabel})`;
  const missingMessage = `${field} is required but ${describe} is missing or empty ${ruleText}`;
  const shapeMessage = `${field}: ${describe} does not fit the record's structure (a value where a structure was expected, or a repeated element) ${ruleText}`;

  let getter: SourceGetter | undefined;
  let expression: jsonata.Expression | undefined;
  const dotted = input.format !== 'csv';
  const checkRefs = (names: readonly string[], option: string): void => {
    for (const name of names) {
      if (name.startsWith('$') && !CONTEXT_REF_NAMES.includes(name)) {
        problems.push(
          `${where}.${option} uses "${name}"; context references are ${CONTEXT_REF_NAMES.join(', ')}`,
        );
      }
    }
  };
  if (rule.from !== undefined) {
    const aliases = [rule.from].flat();
    checkRefs(aliases, 'from');
    if (aliases.some((a) => a.startsWith('$')) && aliases.length > 1)
      problems.push(`${where}.from: a context reference cannot have aliases`);
    if (problems.length === 0) getter = compileGetter(aliases, dotted);
  } else if (rule.concat !== undefined) {
    checkRefs(rule.concat, 'concat');
    if (problems.length === 0) {
      const parts = rule.concat.map((name) => compileGetter([name], dotted));
      const separator = rule.separator ?? ',';
      getter = (view) => {
        let joined = '';
        for (let i = 0; i < parts.length; i++) {
          const part = scalarOf(parts[i]!(view));
          if (part === SHAPE_MISMATCH) return SHAPE_MISMATCH;
          if (part === undefined) return undefined;
          const text = String(part).trim();
          if (text === '') return undefined;
          joined = i === 0 ? text : joined + separator + text;
        }
        return joined;
      };
    }
  } else if (rule.expr !== undefined) {
    try {
      expression = jsonata(rule.expr);
    } catch (error) {
      problems.push(
        `${where}.expr is not valid JSONata: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const index = input.exprIndex;
    getter = (view) => view.exprValues[index];
  }

  // Constant and default are parsed once, here.
  const parseFixed = (value: Scalar, option: string): unknown => {
    const parsed = parse(value);
    if (!parsed.ok) {
      problems.push(`${where}.${option} ${parsed.reason} for type ${type}`);
      return NO_VALUE;
    }
    return parsed.value;
  };
  const constant = rule.constant === undefined ? NO_VALUE : parseFixed(rule.constant, 'constant');
  const fallback = rule.default === undefined ? NO_VALUE : parseFixed(rule.default, 'default');

  let absentPattern: RegExp | undefined;
  let matches: RegExp | undefined;
  let extractProblem = false;
  try {
    absentPattern = rule.absentPattern === undefined ? undefined : new RegExp(rule.absentPattern, 'iu');
    matches = rule.matches === undefined ? undefined : new RegExp(rule.matches, 'iu');
  } catch {
    extractProblem = true;
  }
  if (extractProblem) problems.push(`${where}: a regular expression does not compile`);
  if (problems.length > 0) return { problems };

  const absent = new Set<string>(input.absent);
  for (const marker of rule.absent ?? []) absent.add(marker.trim().toLowerCase());
  const required = rule.required === true;
  const warnOnInvalid = rule.onInvalid === 'warn' && !required;
  const write = compileSetter(field);

  const issue = (state: MapState, code: FieldIssue['code'], message: string, asWarning: boolean): void => {
    const entry: FieldIssue = { code, field, message };
    if (asWarning) (state.warnings ??= []).push(entry);
    else (state.errors ??= []).push(entry);
  };

  let resolve: (view: RecordView, state: MapState) => unknown;
  if (constant !== NO_VALUE) {
    resolve = () => constant;
  } else {
    const get = getter!;
    const lookupMessage =
      lookup === undefined
        ? ''
        : `${field}: ${describe} has a value that is not in lookup '${lookup.name}' ${ruleText}`;
    resolve = (view, state) => {
      let raw = scalarOf(get(view));
      if (raw === SHAPE_MISMATCH) {
        issue(state, 'SOURCE.SCHEMA_INVALID', shapeMessage, false);
        return NO_VALUE;
      }
      if (typeof raw === 'string') {
        const text = raw.trim();
        raw =
          text === '' || absent.has(text.toLowerCase()) || absentPattern?.test(text) === true
            ? undefined
            : text;
      }
      if (raw === undefined) {
        if (fallback !== NO_VALUE) return fallback;
        if (required) issue(state, 'MAPPING.FIELD_MISSING', missingMessage, false);
        return NO_VALUE;
      }
      if (matches !== undefined) return matches.test(String(raw));
      if (lookup !== undefined) {
        const text = String(raw);
        if (writeOriginal !== undefined) writeOriginal(state.data, text);
        const hit = lookup.entries.get(valueKey(text)) ?? lookup.fallback;
        if (hit === undefined) {
          issue(state, 'MAPPING.FIELD_INVALID', lookupMessage, warnOnInvalid);
          return NO_VALUE;
        }
        raw = hit;
      }
      const parsed = parse(raw);
      if (parsed.ok) return parsed.value;
      const message = `${field}: ${describe} ${parsed.reason} ${ruleText}`;
      if (parsed.mangled === true && !required) {
        if (writeRaw !== undefined && hasRaw!(state.data) === undefined) writeRaw(state.data, String(raw));
        issue(
          state,
          'MAPPING.FIELD_INVALID',
          `${message}; left empty${rule.keepRawIn === undefined ? '' : `, raw value kept in ${rule.keepRawIn}`}`,
          true,
        );
        return NO_VALUE;
      }
      issue(
        state,
        'MAPPING.FIELD_INVALID',
        warnOnInvalid ? `${message}; field left out` : message,
        warnOnInvalid,
      );
      return NO_VALUE;
    };
  }
  return {
    problems,
    rule: {
      field,
      required,
      warnOnInvalid,
      expression,
      exprIndex: expression === undefined ? -1 : input.exprIndex,
      resolve,
      write,
      omitIf: rule.omitIf === undefined ? undefined : compileGetterOfCanonical(rule.omitIf),
    },
  };
}

function compileParser(
  type: ValueType,
  rule: FieldRuleSpec,
  enumValues: readonly string[],
): (value: unknown) => ParseResult<unknown> {
  switch (type) {
    case 'string': {
      let extract: RegExp | undefined;
      try {
        extract = rule.extract === undefined ? undefined : new RegExp(rule.extract, 'u');
      } catch {
        extract = undefined; // reported by the file validator
      }
      return compileStringParser({
        ...(rule.case === undefined ? {} : { case: rule.case }),
        ...(rule.removeSpaces === undefined ? {} : { removeSpaces: rule.removeSpaces }),
        ...(extract === undefined ? {} : { extract }),
      });
    }
    case 'pence': {
      const options = { unit: rule.unit ?? 'pounds' } as const;
      return (v) => parsePence(v, options);
    }
    case 'decimal': {
      const options = { scale: rule.scale ?? 6 };
      return (v) => parseDecimal(v, options);
    }
    case 'integer':
      return parseInteger;
    case 'date': {
      const options = { excelSerial: rule.excelSerial === true };
      return (v) => parseDate(v, options);
    }
    case 'datetime': {
      const options = {
        excelSerial: rule.excelSerial === true,
        timezone: rule.timezone ?? 'Europe/London',
      } as const;
      return (v) => parseDateTime(v, options);
    }
    case 'boolean':
      return parseBoolean;
    case 'uprn': {
      const options = { spreadsheetRounding: rule.spreadsheetRounding === true };
      return (v) => parseUprn(v, options);
    }
    case 'usrn':
      return parseUsrn;
    case 'postcode':
      return parsePostcode;
    case 'nino':
      return parseNino;
    case 'enum':
      return compileEnumParser(enumValues);
  }
}
