import type { ClassType } from './class-type';
import { nestedFieldsOf } from './nested.decorator';
import { classChain } from './schema-extras.registry';

const PII_FIELDS = new WeakMap<ClassType, Set<string>>();

/**
 * Marks a canonical property as personal data. Personal data may flow to the shared-service centre under
 * the partnership's data-sharing agreement, but never into logs, metrics or the audit log. The mark is
 * published in the entity's JSON Schema as `"x-pii": true`.
 */
export function Pii(): PropertyDecorator {
  return (target: object, propertyKey: string | symbol): void => {
    if (typeof propertyKey !== 'string') return;
    const own = PII_FIELDS.get(target.constructor as ClassType) ?? new Set<string>();
    own.add(propertyKey);
    PII_FIELDS.set(target.constructor as ClassType, own);
  };
}

/** PII property names declared on `model` itself or its base classes (not inside nested classes). */
export function ownPiiFields(model: ClassType): string[] {
  const out = new Set<string>();
  for (const ctor of classChain(model)) for (const name of PII_FIELDS.get(ctor) ?? []) out.add(name);
  return [...out];
}

/**
 * Dotted paths of every personal-data field reachable from `model`, following `@Nested` properties
 * (array items are written `field[].child`). Sorted, so tests can compare it.
 */
export function getPiiPaths(model: ClassType): string[] {
  const out: string[] = [];
  const walk = (ctor: ClassType, prefix: string, seen: ReadonlySet<ClassType>): void => {
    for (const name of ownPiiFields(ctor)) out.push(prefix + name);
    for (const [name, nested] of nestedFieldsOf(ctor)) {
      const child = nested.type();
      if (seen.has(child)) continue; // a recursive model: each class once per path
      walk(child, `${prefix}${name}${nested.each ? '[]' : ''}.`, new Set([...seen, child]));
    }
  };
  walk(model, '', new Set([model]));
  return out.sort();
}
