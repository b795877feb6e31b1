import { normaliseHeaderCached } from './header-name.normaliser';
import type { MapContext } from './map-result.types';

/** A source record as parsers deliver it: CSV rows keyed by header, parsed JSON or XML objects. */
export type SourceObject = Readonly<Record<string, unknown>>;

/** Returned by a getter when the record's shape does not fit the path (a value where a structure was expected). */
export const SHAPE_MISMATCH: unique symbol = Symbol('shape-mismatch');

const NO_EXPRESSIONS: readonly unknown[] = Object.freeze([]);

/**
 * One record being mapped, with lazily built helpers shared by all rules, so per-record work is done at
 * most once and only when a rule needs it.
 */
export class RecordView {
  private normalisedIndex: Map<string, string> | undefined;
  /** Results of the mapping's JSONata expressions, by expression index. */
  exprValues: readonly unknown[] = NO_EXPRESSIONS;

  constructor(
    readonly record: SourceObject,
    readonly context: MapContext,
  ) {}

  /** The record's top-level keys by normalised name (first key wins on a clash), built on first use. */
  keyByNormalisedName(): Map<string, string> {
    if (this.normalisedIndex === undefined) this.normalisedIndex = indexKeys(this.record);
    return this.normalisedIndex;
  }
}

/** Reads one raw value for a rule. */
export type SourceGetter = (view: RecordView) => unknown;

function indexKeys(object: SourceObject): Map<string, string> {
  const index = new Map<string, string>();
  for (const key of Object.keys(object)) {
    const normalised = normaliseHeaderCached(key);
    if (!index.has(normalised)) index.set(normalised, key);
  }
  return index;
}

const CONTEXT_REFS: Readonly<Record<string, (context: MapContext) => unknown>> = {
  $row: (c) => c.row,
  $eventId: (c) => c.eventId,
  $fileId: (c) => c.fileId,
  $fileName: (c) => c.fileName,
};

/** Names a rule may use to read the {@link MapContext}. */
export const CONTEXT_REF_NAMES: readonly string[] = Object.keys(CONTEXT_REFS);

/**
 * Compiles a `from` rule into a getter.
 * - `$row`, `$eventId`, ...: read the map context.
 * - CSV (`dotted: false`): each alias is a column name: exact key first, then by normalised name.
 * - JSON/XML (`dotted: true`): each alias is a dotted path (`Supplier.Name`, `lines.0.amount`); each
 *   step tries the exact key, an XML attribute (`@_name`), then the normalised name. A one-element
 *   array is stepped through; a longer one where a structure was expected is a shape mismatch.
 */
export function compileGetter(aliases: readonly string[], dotted: boolean): SourceGetter {
  if (aliases.length === 1 && aliases[0]!.startsWith('$')) {
    const read = CONTEXT_REFS[aliases[0]!];
    if (read === undefined) throw new Error(`unknown context reference ${aliases[0]}`);
    return (view) => read(view.context);
  }
  if (!dotted) return compileColumnGetter(aliases);
  const getters = aliases.map((alias) => compilePathGetter(alias.split('.')));
  if (getters.length === 1) return getters[0]!;
  return (view) => {
    let shape = false;
    for (const get of getters) {
      const value = get(view);
      if (value === SHAPE_MISMATCH) shape = true;
      else if (value !== undefined && value !== null) return value; // JSON null is no value: try the next alias
    }
    return shape ? SHAPE_MISMATCH : undefined;
  };
}

/**
 * Column getter. Rows of one file share their header, so the getter remembers the key it last matched
 * by normalised name and tries it first: the normalised index is built once per layout, not per row.
 */
function compileColumnGetter(aliases: readonly string[]): SourceGetter {
  const normalised = aliases.map(normaliseHeaderCached);
  let learned: string | undefined;
  return (view) => {
    const record = view.record;
    for (const alias of aliases) if (Object.hasOwn(record, alias)) return record[alias];
    if (learned !== undefined && Object.hasOwn(record, learned)) return record[learned];
    const index = view.keyByNormalisedName();
    for (const key of normalised) {
      const actual = index.get(key);
      if (actual !== undefined) {
        learned = actual;
        return record[actual];
      }
    }
    return undefined;
  };
}

function compilePathGetter(segments: readonly string[]): SourceGetter {
  const steps = segments.map((segment) => ({
    key: segment,
    attribute: `@_${segment}`,
    normalised: normaliseHeaderCached(segment),
    index: /^\d+$/.test(segment) ? Number(segment) : -1,
  }));
  const [first, ...rest] = steps;
  let learned: string | undefined;
  const top = (view: RecordView): unknown => {
    const record = view.record;
    if (Object.hasOwn(record, first!.key)) return record[first!.key];
    if (learned !== undefined && Object.hasOwn(record, learned)) return record[learned];
    const actual = view.keyByNormalisedName().get(first!.normalised);
    if (actual === undefined) return undefined;
    learned = actual;
    return record[actual];
  };
  return (view) => {
    let current: unknown = top(view);
    for (const step of rest) {
      if (current === undefined || current === null) return undefined;
      if (Array.isArray(current)) {
        if (step.index >= 0) {
          current = current[step.index];
          continue;
        }
        if (current.length !== 1) return SHAPE_MISMATCH;
        current = current[0];
      }
      if (typeof current !== 'object') return SHAPE_MISMATCH;
      current = childOf(current as SourceObject, step.key, step.attribute, step.normalised);
    }
    return current;
  };
}

function childOf(object: SourceObject, key: string, attribute: string, normalised: string): unknown {
  if (Object.hasOwn(object, key)) return object[key];
  if (Object.hasOwn(object, attribute)) return object[attribute];
  for (const candidate of Object.keys(object)) {
    if (normaliseHeaderCached(candidate) === normalised) return object[candidate];
  }
  return undefined;
}

/**
 * Reduces a raw source value to a scalar: XML text nodes (`{ '#text': ... }`) give their text, a
 * one-element array its element, `null` nothing; other structures are a shape mismatch.
 */
export function scalarOf(raw: unknown): unknown {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'object') return raw;
  if (raw instanceof Date) return raw;
  if (Array.isArray(raw))
    return raw.length === 1 ? scalarOf(raw[0]) : raw.length === 0 ? undefined : SHAPE_MISMATCH;
  if (Object.hasOwn(raw, '#text')) return scalarOf((raw as SourceObject)['#text']);
  return SHAPE_MISMATCH;
}
