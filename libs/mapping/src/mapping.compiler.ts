import {
  CANONICAL_OPERATIONS,
  entityFields,
  generateEntitySchema,
  type CanonicalOperation,
  type EntityDefinition,
  type EntityField,
} from '@hub/canonical';
import { deleteAtPath } from './canonical-path.accessor';
import { compileCanonicalValidator, type CanonicalValidator } from './canonical.validator';
import {
  NO_VALUE,
  OUTPUT_JSON_TYPE,
  compileRule,
  type CompiledLookup,
  type CompiledRule,
  type MapState,
} from './field-rule.compiler';
import type { FieldIssue, MapContext, MapResult } from './map-result.types';
import type {
  LoadedJsonFile,
  LookupTable,
  MappingFileSpec,
  SourceFormat,
  ValueType,
} from './mapping-file.types';
import { validateMappingFile } from './mapping-file.validator';
import { valueKey } from './parsers/text.parser';
import { RecordView, type SourceObject } from './source-path.accessor';
import { normaliseHeader } from './header-name.normaliser';

/** A mapping compiled at start-up: one source layout to one canonical entity. */
export interface CompiledMapping {
  readonly id: string;
  readonly version: number;
  readonly entity: EntityDefinition;
  readonly format: SourceFormat;
  /** The mapping file, relative to the repository root, for messages. */
  readonly file: string;
  /** Whether any rule uses a JSONata `expr` (such mappings await the expressions per record). */
  readonly usesExpressions: boolean;
  /**
   * Maps one source record (a CSV row keyed by header, or a parsed JSON/XML object) to canonical data
   * and validates it. Expected failures are returned, never thrown.
   */
  map(record: unknown, context?: MapContext): Promise<MapResult>;
}

/** An entity prepared once for compiling many mappings against it. */
export interface PreparedEntity {
  readonly definition: EntityDefinition;
  readonly fields: ReadonlyMap<string, EntityField>;
  readonly validate: CanonicalValidator;
}

/** Prepares entities for {@link compileMapping}: schema leaf fields and the canonical validator. */
export function prepareEntities(entities: readonly EntityDefinition[]): Map<string, PreparedEntity> {
  const out = new Map<string, PreparedEntity>();
  for (const definition of entities) {
    const fields = new Map(entityFields(generateEntitySchema(definition)).map((f) => [f.path, f]));
    out.set(definition.name, { definition, fields, validate: compileCanonicalValidator(definition) });
  }
  return out;
}

/** Compiles a lookup table (keys matched ignoring case, spaces and punctuation). */
export function compileLookup(name: string, table: LookupTable): CompiledLookup {
  const entries = new Map<string, string | number | boolean>();
  let fallback: string | number | boolean | undefined;
  for (const [key, value] of Object.entries(table)) {
    if (key === '*') fallback = value;
    else entries.set(valueKey(key), value);
  }
  return { name, entries, fallback };
}

const EMPTY_CONTEXT: MapContext = Object.freeze({});
const NO_WARNINGS: readonly FieldIssue[] = Object.freeze([]);

/**
 * Compiles one mapping file. Problems (unknown entity or field, wrong type for the field, bad JSONata,
 * unknown lookup, a required canonical field left unmapped...) are returned, each naming the file and
 * the field; {@link buildMappingRegistry} throws them together at start-up.
 */
export function compileMapping(
  file: LoadedJsonFile,
  entities: ReadonlyMap<string, PreparedEntity>,
  sharedLookups: ReadonlyMap<string, CompiledLookup> = new Map(),
): { mapping?: CompiledMapping; problems: string[] } {
  const { spec, problems } = validateMappingFile(file);
  if (spec === undefined) return { problems };
  const entity = entities.get(spec.entity);
  if (entity === undefined) {
    return {
      problems: [
        `${file.path}: entity "${spec.entity}" is not a known entity (known: ${[...entities.keys()].join(', ') || 'none'})`,
      ],
    };
  }

  const lookups = new Map(sharedLookups);
  for (const [name, table] of Object.entries(spec.lookups ?? {})) {
    if (sharedLookups.has(name))
      problems.push(`${file.path}: lookups.${name} has the name of a shared lookup file; rename one`);
    lookups.set(name, compileLookup(name, table));
  }

  const label = `${spec.id} v${spec.version}`;
  const absent = new Set([''].concat((spec.absent ?? []).map((a) => a.trim().toLowerCase())));
  let exprCount = 0;
  const compile = (
    field: string,
    where: string,
    rule: MappingFileSpec['recordId'],
    forced: { type?: ValueType; values?: readonly string[] } = {},
  ): CompiledRule | undefined => {
    const result = compileRule({
      field,
      rule,
      format: spec.format,
      mappingLabel: label,
      where: `${file.path}: ${where}`,
      absent,
      lookups,
      entityFields: entity.fields,
      exprIndex: exprCount,
      ...(forced.type === undefined ? {} : { forcedType: forced.type }),
      ...(forced.values === undefined ? {} : { forcedValues: forced.values }),
    });
    problems.push(...result.problems);
    if (result.rule?.expression !== undefined) exprCount++;
    return result.rule;
  };

  const recordIdRule = compile(
    'recordId',
    'recordId',
    { ...spec.recordId, required: true },
    { type: 'string' },
  );
  const operationRule =
    spec.operation === undefined
      ? undefined
      : compile('operation', 'operation', spec.operation, { type: 'enum', values: CANONICAL_OPERATIONS });

  const fieldRules: CompiledRule[] = [];
  for (const [path, rule] of Object.entries(spec.fields)) {
    const where = `fields.${path}`;
    const leaf = entity.fields.get(path);
    if (leaf === undefined) {
      problems.push(
        `${file.path}: ${where} is not a field of ${spec.entity} (fields: ${[...entity.fields.keys()].join(', ')})`,
      );
      continue;
    }
    const produces = OUTPUT_JSON_TYPE[rule.type ?? 'string'];
    const accepts =
      leaf.types.includes(produces) || (produces === 'integer' && leaf.types.includes('number'));
    if (!accepts) {
      problems.push(
        `${file.path}: ${where}.type ${rule.type ?? 'string'} produces ${produces}, but ${path} is ${leaf.types.join('|') || 'untyped'}`,
      );
      continue;
    }
    const compiled = compile(path, where, rule);
    if (compiled !== undefined) fieldRules.push(compiled);
  }
  problems.push(...unmappedRequired(file.path, spec, entity));
  if (problems.length > 0 || recordIdRule === undefined) return { problems };

  const rules = [recordIdRule, ...(operationRule === undefined ? [] : [operationRule]), ...fieldRules];
  const expressions = rules.filter((r) => r.expression !== undefined);
  const warnable = new Set(fieldRules.filter((r) => r.warnOnInvalid).map((r) => r.field));
  const omissible = fieldRules.filter((r) => r.omitIf !== undefined);
  const root =
    spec.root === undefined ? undefined : { exact: spec.root, normalised: normaliseHeader(spec.root) };

  const mapView = (view: RecordView): MapResult => {
    const state: MapState = { data: {}, errors: undefined, warnings: undefined };
    const recordId = recordIdRule.resolve(view, state);
    const operation = operationRule === undefined ? 'upsert' : operationRule.resolve(view, state);
    const op = (operation === NO_VALUE ? 'upsert' : operation) as CanonicalOperation;
    // A delete needs only the record id: its data is whatever the consumer already holds.
    if (op === 'delete' && state.errors === undefined) {
      return {
        ok: true,
        recordId: recordId as string,
        operation: op,
        data: {},
        warnings: state.warnings ?? NO_WARNINGS,
      };
    }
    // Field rules run even when the id failed, so the DLQ reason names every field at fault.
    for (const rule of fieldRules) {
      const value = rule.resolve(view, state);
      if (value !== NO_VALUE) rule.write(state.data, value);
    }
    if (state.errors !== undefined) return { ok: false, errors: state.errors };
    for (const rule of omissible) if (rule.omitIf!(state.data) === true) deleteAtPath(state.data, rule.field);
    let violations = entity.validate(state.data);
    if (violations.length > 0 && violations.every((v) => warnable.has(v.path))) {
      // Optional fields marked onInvalid: warn are dropped; what remains must still be valid.
      for (const v of violations) {
        deleteAtPath(state.data, v.path);
        (state.warnings ??= []).push({
          code: 'MAPPING.FIELD_INVALID',
          field: v.path,
          message: `${v.message}; field left out (mapping ${label})`,
        });
      }
      violations = entity.validate(state.data);
    }
    if (violations.length > 0) {
      return {
        ok: false,
        errors: violations.map((v) => ({
          code: 'MAPPING.FIELD_INVALID',
          field: v.path,
          message: `${v.message} (mapping ${label})`,
        })),
      };
    }
    return {
      ok: true,
      recordId: recordId as string,
      operation: op,
      data: state.data,
      warnings: state.warnings ?? NO_WARNINGS,
    };
  };

  const notAnObject: MapResult = {
    ok: false,
    errors: [
      {
        code: 'SOURCE.SCHEMA_INVALID',
        field: 'record',
        message: `the source record is not an object (mapping ${label})`,
      },
    ],
  };
  const viewOf = (record: unknown, context: MapContext): RecordView | undefined => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
    let object = record as SourceObject;
    if (root !== undefined) {
      const inner = Object.hasOwn(object, root.exact)
        ? object[root.exact]
        : Object.keys(object).length === 1 && normaliseHeader(Object.keys(object)[0]!) === root.normalised
          ? Object.values(object)[0]
          : undefined;
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner))
        object = inner as SourceObject;
    }
    return new RecordView(object, context);
  };

  const mapping: CompiledMapping = {
    id: spec.id,
    version: spec.version,
    entity: entity.definition,
    format: spec.format,
    file: file.path,
    usesExpressions: expressions.length > 0,
    map:
      expressions.length === 0
        ? (record, context = EMPTY_CONTEXT) => {
            const view = viewOf(record, context);
            return Promise.resolve(view === undefined ? notAnObject : mapView(view));
          }
        : async (record, context = EMPTY_CONTEXT) => {
            const view = viewOf(record, context);
            if (view === undefined) return notAnObject;
            const bindings = {
              row: context.row,
              eventId: context.eventId,
              fileId: context.fileId,
              fileName: context.fileName,
            };
            const failures: (FieldIssue | undefined)[] = [];
            view.exprValues = await Promise.all(
              expressions.map((rule, index) =>
                rule.expression!.evaluate(view.record, bindings).catch((error: unknown) => {
                  // JSONata messages can quote the data; report only the error code.
                  const code =
                    typeof error === 'object' && error !== null && 'code' in error
                      ? String(error.code)
                      : 'unknown';
                  failures[index] = {
                    code: 'MAPPING.FIELD_INVALID',
                    field: rule.field,
                    message: `${rule.field}: the expression failed (JSONata error ${code}; mapping ${label})`,
                  };
                  return undefined;
                }),
              ),
            );
            const failed = failures.filter((f): f is FieldIssue => f !== undefined);
            return failed.length > 0 ? { ok: false, errors: failed } : mapView(view);
          },
  };
  return { mapping, problems };
}

/**
 * Required canonical fields the mapping never writes. A required field inside an optional object counts
 * only when the mapping writes something into that object.
 */
function unmappedRequired(filePath: string, spec: MappingFileSpec, entity: PreparedEntity): string[] {
  const mapped = Object.keys(spec.fields);
  const written = new Set<string>();
  for (const path of mapped) {
    const segments = path.split('.');
    for (let i = 1; i < segments.length; i++) written.add(segments.slice(0, i).join('.'));
  }
  const out: string[] = [];
  for (const field of entity.fields.values()) {
    if (!field.requiredChain[field.requiredChain.length - 1] || mapped.includes(field.path)) continue;
    const segments = field.path.split('.');
    const reached = field.requiredChain
      .slice(0, -1)
      .every((required, i) => required || written.has(segments.slice(0, i + 1).join('.')));
    if (reached)
      out.push(
        `${filePath}: fields.${field.path} is required by ${spec.entity} but has no rule (add one, with a default if the source never has it)`,
      );
  }
  return out;
}
