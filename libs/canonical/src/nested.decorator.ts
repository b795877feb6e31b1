// class-transformer's @Type reads design-time metadata through the Reflect API polyfill.
import 'reflect-metadata';
import type { ClassType } from './class-type';
import { Type } from 'class-transformer';
import { IsArray, IsObject, ValidateNested } from 'class-validator';
import { classChain } from './schema-extras.registry';

/** How a property holds another canonical class. */
export interface NestedField {
  /** Thunk, so that classes may be declared in any order. */
  readonly type: () => ClassType;
  /** true when the property is an array of the nested class. */
  readonly each: boolean;
}

const NESTED_FIELDS = new WeakMap<ClassType, Map<string, NestedField>>();

/**
 * Declares a property holding another canonical class (or, with `{ each: true }`, an array of them).
 * One decorator does the jobs that must agree: class-validator `@ValidateNested` plus `@IsObject` /
 * `@IsArray`, class-transformer `@Type`, and the registry that JSON Schema generation (`$ref`) and PII
 * discovery walk. Nesting is declared, not inferred from `design:type`, which is `Array` for arrays.
 */
export function Nested(type: () => ClassType, options: { readonly each?: boolean } = {}): PropertyDecorator {
  const each = options.each === true;
  const decorators: PropertyDecorator[] = [
    ValidateNested({ each }),
    Type(type),
    each ? IsArray() : IsObject(),
  ];
  return (target: object, propertyKey: string | symbol): void => {
    for (const decorate of decorators) decorate(target, propertyKey);
    if (typeof propertyKey !== 'string') return;
    const own = NESTED_FIELDS.get(target.constructor as ClassType) ?? new Map<string, NestedField>();
    own.set(propertyKey, { type, each });
    NESTED_FIELDS.set(target.constructor as ClassType, own);
  };
}

/** The {@link Nested} properties of `model` and its base classes, subclass declarations winning. */
export function nestedFieldsOf(model: ClassType): Map<string, NestedField> {
  const out = new Map<string, NestedField>();
  for (const ctor of classChain(model))
    for (const [name, field] of NESTED_FIELDS.get(ctor) ?? []) out.set(name, field);
  return out;
}
