import type { ClassType } from './class-type';
import type { JsonSchema } from './json-schema.types';

/**
 * Extra JSON Schema keywords per class property, merged over what class-validator-jsonschema derives.
 *
 * class-validator-jsonschema keeps one `@JSONSchema` slot per property, so two decorators on the same
 * property would silently overwrite each other; the hub's decorators write here instead, and
 * `generateEntitySchema` merges everything in one place.
 */
const EXTRAS = new WeakMap<ClassType, Map<string, JsonSchema>>();

/** Records `extras` for `property` of `ctor` (merged with earlier extras; later keys win). */
export function addSchemaExtras(ctor: ClassType, property: string, extras: JsonSchema): void {
  const own = EXTRAS.get(ctor) ?? new Map<string, JsonSchema>();
  own.set(property, { ...(own.get(property) ?? {}), ...extras });
  EXTRAS.set(ctor, own);
}

/** Extras of `ctor` and its base classes, subclass declarations winning. */
export function schemaExtrasOf(ctor: ClassType): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  for (const c of classChain(ctor)) {
    for (const [name, extras] of EXTRAS.get(c) ?? []) out.set(name, { ...(out.get(name) ?? {}), ...extras });
  }
  return out;
}

/** A property decorator that records schema extras for the decorated property. */
export function schemaExtrasDecorator(extras: JsonSchema): PropertyDecorator {
  return (target: object, propertyKey: string | symbol): void => {
    if (typeof propertyKey === 'string')
      addSchemaExtras(target.constructor as ClassType, propertyKey, extras);
  };
}

/** Walks the prototype chain of a class, base class first. */
export function classChain(ctor: ClassType): ClassType[] {
  const chain: ClassType[] = [];
  for (
    let c: unknown = ctor;
    typeof c === 'function' && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  ) {
    chain.unshift(c as ClassType);
  }
  return chain;
}
