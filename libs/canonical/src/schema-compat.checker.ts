import type { JsonSchema, JsonSchemaType } from './json-schema.types';
import { typesOf } from './schema.generator';

/** The kinds of change that break a published schema version. */
export type SchemaBreakKind =
  'FIELD_REMOVED' | 'TYPE_CHANGED' | 'FIELD_NEWLY_REQUIRED' | 'ENUM_NARROWED' | 'CONSTRAINT_NARROWED';

/** One breaking change, located by dotted path (`[]` marks array items). */
export interface SchemaBreak {
  readonly kind: SchemaBreakKind;
  readonly path: string;
  readonly message: string;
}

/** Outcome of {@link checkCompatibility}. */
export interface CompatibilityReport {
  readonly compatible: boolean;
  readonly breaks: readonly SchemaBreak[];
}

/**
 * Reports the changes from `published` to `current` that break the v1 promise of a schema version:
 *
 * - every field a consumer reads stays, with a type that accepts every value it accepted before
 *   (`FIELD_REMOVED`, `TYPE_CHANGED`; `integer` widening to `number` is fine, the reverse is not);
 * - every record valid under the published schema stays valid under the current one
 *   (`FIELD_NEWLY_REQUIRED`, `ENUM_NARROWED`, `CONSTRAINT_NARROWED`: a pattern or format added or
 *   changed, a bound tightened).
 *
 * Additive changes (a new optional field, a new enum value, a relaxed bound) are compatible; consumers
 * must therefore tolerate unknown fields and enum values. `$ref`s are resolved on both sides, so renaming
 * a nested class is not a change.
 */
export function checkCompatibility(published: JsonSchema, current: JsonSchema): CompatibilityReport {
  const breaks: SchemaBreak[] = [];
  compareNode(resolver(published), resolver(current), published, current, '', breaks, 0);
  return { compatible: breaks.length === 0, breaks };
}

type Resolve = (node: JsonSchema) => JsonSchema;

function resolver(root: JsonSchema): Resolve {
  return (node) => {
    let current = node;
    for (let hops = 0; current.$ref !== undefined; hops++) {
      if (hops > 32) throw new Error(`$ref cycle at ${node.$ref}`);
      const match = /^#\/(definitions|\$defs)\/(.+)$/.exec(current.$ref);
      const defs = match?.[1] === '$defs' ? root['$defs'] : root.definitions;
      const target =
        match === null ? undefined : (defs as Record<string, JsonSchema> | undefined)?.[match[2]!];
      if (target === undefined) throw new Error(`Unresolvable $ref ${current.$ref}`);
      current = target;
    }
    return current;
  };
}

function label(path: string): string {
  return path === '' ? 'the record' : `"${path}"`;
}

function compareNode(
  resolvePublished: Resolve,
  resolveCurrent: Resolve,
  publishedRaw: JsonSchema,
  currentRaw: JsonSchema,
  path: string,
  breaks: SchemaBreak[],
  depth: number,
): void {
  if (depth > 32) return; // recursive models: the first 32 levels are enough to find a break
  const published = resolvePublished(publishedRaw);
  const current = resolveCurrent(currentRaw);
  const before = typesOf(published);
  const after = typesOf(current);
  if (before.length > 0) {
    const lost = before.filter((t) => !accepts(after, t));
    if (after.length > 0 && lost.length > 0) {
      breaks.push({
        kind: 'TYPE_CHANGED',
        path,
        message: `${label(path)} changed type from ${before.join('|')} to ${after.join('|')}`,
      });
      return; // children of a changed type would only repeat the same break
    }
  }
  compareEnum(published, current, path, breaks);
  compareConstraints(published, current, path, breaks);

  if (published.properties !== undefined || current.properties !== undefined) {
    const beforeProps = published.properties ?? {};
    const afterProps = current.properties ?? {};
    const requiredBefore = new Set(published.required ?? []);
    for (const name of current.required ?? []) {
      if (!requiredBefore.has(name)) {
        const childPath = path === '' ? name : `${path}.${name}`;
        breaks.push({
          kind: 'FIELD_NEWLY_REQUIRED',
          path: childPath,
          message: `${label(childPath)} is required now but was ${name in beforeProps ? 'optional' : 'absent'} in the published schema`,
        });
      }
    }
    for (const [name, before] of Object.entries(beforeProps)) {
      const childPath = path === '' ? name : `${path}.${name}`;
      const after = afterProps[name];
      if (after === undefined) {
        breaks.push({ kind: 'FIELD_REMOVED', path: childPath, message: `${label(childPath)} was removed` });
        continue;
      }
      compareNode(resolvePublished, resolveCurrent, before, after, childPath, breaks, depth + 1);
    }
  }
  if (published.items !== undefined && current.items !== undefined) {
    compareNode(
      resolvePublished,
      resolveCurrent,
      published.items,
      current.items,
      `${path}[]`,
      breaks,
      depth + 1,
    );
  }
}

function accepts(types: readonly JsonSchemaType[], type: JsonSchemaType): boolean {
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

function compareEnum(published: JsonSchema, current: JsonSchema, path: string, breaks: SchemaBreak[]): void {
  if (current.enum === undefined) return;
  if (published.enum === undefined) {
    breaks.push({
      kind: 'ENUM_NARROWED',
      path,
      message: `${label(path)} is now restricted to a list of values`,
    });
    return;
  }
  const allowed = new Set(current.enum.map((v) => JSON.stringify(v)));
  const dropped = published.enum.filter((v) => !allowed.has(JSON.stringify(v)));
  if (dropped.length > 0) {
    breaks.push({
      kind: 'ENUM_NARROWED',
      path,
      message: `${label(path)} no longer allows ${dropped.map((v) => JSON.stringify(v)).join(', ')}`,
    });
  }
}

type Bound = 'minimum' | 'exclusiveMinimum' | 'minLength';
type Ceiling = 'maximum' | 'exclusiveMaximum' | 'maxLength';

function compareConstraints(
  published: JsonSchema,
  current: JsonSchema,
  path: string,
  breaks: SchemaBreak[],
): void {
  const narrowed = (what: string): void => {
    breaks.push({ kind: 'CONSTRAINT_NARROWED', path, message: `${label(path)}: ${what}` });
  };
  for (const keyword of ['pattern', 'format'] as const) {
    const after = current[keyword];
    if (after !== undefined && after !== published[keyword]) {
      narrowed(`${keyword} ${published[keyword] === undefined ? 'added' : 'changed'}`);
    }
  }
  for (const keyword of ['minimum', 'exclusiveMinimum', 'minLength'] as Bound[]) {
    const before = published[keyword];
    const after = current[keyword];
    if (after !== undefined && (before === undefined || after > before)) narrowed(`${keyword} raised`);
  }
  for (const keyword of ['maximum', 'exclusiveMaximum', 'maxLength'] as Ceiling[]) {
    const before = published[keyword];
    const after = current[keyword];
    if (after !== undefined && (before === undefined || after < before)) narrowed(`${keyword} lowered`);
  }
}
