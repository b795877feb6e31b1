import type { ClassType } from './class-type';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import type { EntityDefinition } from './entity-definition.model';
import type { JsonSchema, JsonSchemaType } from './json-schema.types';
import { nestedFieldsOf } from './nested.decorator';
import { ownPiiFields } from './pii.decorator';
import { schemaExtrasOf } from './schema-extras.registry';

const DEFINITIONS_PREFIX = '#/definitions/';

/**
 * Generates the published JSON Schema (draft-07) of one entity from its class-validator class: the same
 * definition that validates records at run time, never a hand-kept copy. Nested classes become
 * `definitions` referenced by `$ref`; `@Pii()` fields carry `"x-pii": true`.
 */
export function generateEntitySchema(definition: EntityDefinition): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const classByName = new Map<string, ClassType>();
  const pending: ClassType[] = [];

  const refTo = (ctor: ClassType): string => {
    const known = classByName.get(ctor.name);
    if (known !== undefined && known !== ctor) {
      throw new Error(
        `${definition.name}: two different nested classes are both named "${ctor.name}"; rename one so its schema definition is unambiguous`,
      );
    }
    if (known === undefined) {
      classByName.set(ctor.name, ctor);
      pending.push(ctor);
    }
    return DEFINITIONS_PREFIX + ctor.name;
  };

  const root = classSchema(definition.model, refTo);
  while (pending.length > 0) {
    const ctor = pending.shift()!;
    definitions[ctor.name] = classSchema(ctor, refTo);
  }

  const schema: JsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: definition.schemaId,
    title: definition.name,
    description: definition.description,
    ...root,
  };
  if (Object.keys(definitions).length > 0) {
    schema.definitions = Object.fromEntries(
      Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return schema;
}

/** {@link generateEntitySchema} for every entity, keyed by schema id. Throws on duplicate schema ids. */
export function generateSchemas(entities: readonly EntityDefinition[]): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const entity of entities) {
    if (out[entity.schemaId] !== undefined)
      throw new Error(`Two entities declare schema id ${entity.schemaId}`);
    out[entity.schemaId] = generateEntitySchema(entity);
  }
  return out;
}

function classSchema(ctor: ClassType, refTo: (ctor: ClassType) => string): JsonSchema {
  // Cast: openapi3-ts's SchemaObject and JsonSchema describe the same JSON; it is copied, not shared.
  const generated = structuredClone(
    targetConstructorToSchema(ctor, { refPointerPrefix: DEFINITIONS_PREFIX }),
  ) as JsonSchema;
  const properties: Record<string, JsonSchema> = { ...(generated.properties ?? {}) };
  const extras = schemaExtrasOf(ctor);
  for (const [name, extra] of extras) properties[name] = { ...(properties[name] ?? {}), ...extra };
  for (const [name, nested] of nestedFieldsOf(ctor)) {
    const ref: JsonSchema = { $ref: refTo(nested.type()) };
    const description = properties[name]?.description;
    const described = description === undefined ? {} : { description };
    properties[name] = nested.each ? { type: 'array', items: ref, ...described } : { ...ref, ...described };
  }
  for (const name of ownPiiFields(ctor)) {
    if (properties[name] !== undefined) properties[name] = { ...properties[name], 'x-pii': true };
  }
  const out: JsonSchema = { type: 'object', properties };
  if (generated.required !== undefined && generated.required.length > 0)
    out.required = [...generated.required];
  return out;
}

/** One leaf field of an entity, as mapping compilers and documentation need it. */
export interface EntityField {
  /** Dotted path from the entity root, e.g. `supplier.name`. */
  readonly path: string;
  /** JSON types the field accepts. */
  readonly types: readonly JsonSchemaType[];
  /** Whether the field and every object above it are required. */
  readonly required: boolean;
  /** Per path segment, whether that segment is required within its parent object. */
  readonly requiredChain: readonly boolean[];
  /** Allowed values, when the schema restricts them. */
  readonly enum?: readonly unknown[];
  readonly pii: boolean;
}

/**
 * Leaf fields of an entity schema, following `$ref`s into `definitions`. Array-valued fields are listed
 * with `types: ['array']` and not expanded (mappings address scalars).
 */
export function entityFields(schema: JsonSchema): EntityField[] {
  const out: EntityField[] = [];
  const resolve = (s: JsonSchema): JsonSchema => {
    if (s.$ref === undefined) return s;
    const name = s.$ref.startsWith(DEFINITIONS_PREFIX) ? s.$ref.slice(DEFINITIONS_PREFIX.length) : undefined;
    const target = name === undefined ? undefined : schema.definitions?.[name];
    if (target === undefined) throw new Error(`${String(schema.$id)}: unresolvable $ref ${s.$ref}`);
    return target;
  };
  const walk = (s: JsonSchema, prefix: string, chain: readonly boolean[], depth: number): void => {
    if (depth > 16) throw new Error(`${String(schema.$id)}: nesting deeper than 16 levels at ${prefix}`);
    const required = new Set(s.required ?? []);
    for (const [name, raw] of Object.entries(s.properties ?? {})) {
      const child = resolve(raw);
      const path = prefix + name;
      const requiredChain = [...chain, required.has(name)];
      const types = typesOf(child);
      if (child.properties !== undefined) {
        walk(child, `${path}.`, requiredChain, depth + 1);
        continue;
      }
      out.push({
        path,
        types,
        required: requiredChain.every(Boolean),
        requiredChain,
        ...(child.enum === undefined ? {} : { enum: child.enum }),
        pii: raw['x-pii'] === true || child['x-pii'] === true,
      });
    }
  };
  walk(schema, '', [], 0);
  return out;
}

/** The JSON types a (resolved) schema node admits, reading `type`, `oneOf`/`anyOf` and `enum`. */
export function typesOf(s: JsonSchema): JsonSchemaType[] {
  const found = new Set<JsonSchemaType>();
  if (Array.isArray(s.type)) s.type.forEach((t) => found.add(t));
  else if (s.type !== undefined) found.add(s.type);
  for (const branch of [...(s.oneOf ?? []), ...(s.anyOf ?? [])]) typesOf(branch).forEach((t) => found.add(t));
  if (found.size === 0 && s.properties !== undefined) found.add('object');
  if (found.size === 0 && Array.isArray(s.enum)) {
    for (const v of s.enum)
      found.add(v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as JsonSchemaType));
  }
  return [...found].sort();
}
