import {
  getMetadataStorage,
  ValidationTypes,
  type MetadataStorage,
  type ValidationArguments,
} from 'class-validator';

/**
 * A quicker "is this valid?" for objects class-validator would find valid, used before `validateSync` on the
 * ingest's hot path: true only when `validateSync(object, { forbidUnknownValues: true })` would report no
 * error; false means "ask class-validator", which then gives the verdict and the messages.
 *
 * It is not a second implementation of the rules. It runs class-validator's own rules, from its own metadata
 * (the decorators on each class, the same constraint instances, the same `ValidationArguments`), in the order
 * and with the semantics of class-validator 0.15's `ValidationExecutor`:
 *
 * - `@IsOptional` and `@ValidateIf` (conditional validation): a property whose condition is false is skipped;
 * - `@IsDefined` and every custom or built-in constraint (custom validation), with `each` over arrays, sets and
 *   maps and a constraint's own `validateIf`; async constraints are skipped, as `validateSync` skips them;
 * - `@ValidateNested` (nested validation): arrays and sets element by element, objects by their own class's
 *   rules, anything else invalid; an object whose class has no rules is invalid (`forbidUnknownValues`).
 *
 * What it does not cover answers false, so class-validator decides: a class with a rule of any other kind
 * (promise validation), a constraint that returns a promise, validation groups, and maps under
 * `@ValidateNested`. What it saves is class-validator's bookkeeping for a valid object: an error object per
 * property, arrays filtered per property, argument objects per rule, and the pass that strips empty errors.
 * `HUB_VALIDATOR_CROSSCHECK=1` (set for every unit test) runs both and throws if they ever disagree.
 */
export type FastCheck = (object: object) => boolean;

interface ConstraintRule {
  readonly property: string;
  readonly constraints: unknown[];
  readonly each: boolean;
  readonly validateIf?: (object: object, value: unknown) => boolean;
  readonly validators: ReadonlyArray<{ validate(value: unknown, args: ValidationArguments): unknown }>;
}

interface PropertyPlan {
  readonly name: string;
  readonly conditions: ReadonlyArray<(object: object, value: unknown) => boolean>;
  /** `@IsDefined` first, then the rest, as class-validator runs them. */
  readonly rules: readonly ConstraintRule[];
  /** The nested targets' schema names: `execute(value, schema)` for each `@ValidateNested`. */
  readonly nested: readonly string[];
}

interface ClassPlan {
  /** False: a rule this check does not cover; always ask class-validator. */
  readonly covered: boolean;
  readonly hasRules: boolean;
  readonly properties: readonly PropertyPlan[];
}

type Metadatas = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type Metadata = Metadatas[number];
type Target = Parameters<MetadataStorage['getTargetValidationMetadatas']>[0];

const UNCOVERED: ClassPlan = { covered: false, hasRules: true, properties: [] };

export function compileFastCheck(): FastCheck {
  const storage = getMetadataStorage();
  // Keyed by the metadata array class-validator returns: with the metadata cache installed it is the same
  // array until a decorator is registered, and then a new one, so a plan is never stale.
  const plans = new WeakMap<Metadatas, ClassPlan>();

  const planOf = (target: Target, schema: string | undefined): ClassPlan => {
    const metadatas = storage.getTargetValidationMetadatas(target, schema as string, false, false, undefined);
    let plan = plans.get(metadatas);
    if (plan === undefined) {
      plan = buildPlan(storage, metadatas);
      plans.set(metadatas, plan);
    }
    return plan;
  };

  /** class-validator's `execute(object, schema)`: true when it would add no error. */
  const objectValid = (object: object, schema: string | undefined): boolean => {
    const plan = planOf(object.constructor as Target, schema);
    if (!plan.covered) return false;
    // forbidUnknownValues: an object of a class without rules is an error.
    if (!plan.hasRules) return false;
    const record = object as Record<string, unknown>;
    for (const property of plan.properties) {
      const value = record[property.name];
      if (value instanceof Promise) return false;
      let skip = false;
      for (const condition of property.conditions) if (!condition(object, value)) skip = true;
      if (skip) continue;
      for (const rule of property.rules) if (!ruleHolds(rule, object, value)) return false;
      if (value !== undefined)
        for (const schemaName of property.nested) if (!nestedValid(value, schemaName)) return false;
    }
    return true;
  };

  /** class-validator's `nestedValidations` for one `@ValidateNested` rule. */
  const nestedValid = (value: unknown, schema: string): boolean => {
    if (value instanceof Map) return false;
    if (Array.isArray(value) || value instanceof Set) {
      for (const item of value instanceof Set ? Array.from(value) : value) {
        if (item === undefined) continue;
        if (!nestedValid(item, schema)) return false;
      }
      return true;
    }
    if (value instanceof Object) return objectValid(value, schema);
    return false;
  };

  return (object) => objectValid(object, undefined);
}

function ruleHolds(rule: ConstraintRule, object: object, value: unknown): boolean {
  if (rule.validateIf !== undefined && !rule.validateIf(object, value)) return true;
  const args: ValidationArguments = {
    targetName: object.constructor ? object.constructor.name : (undefined as unknown as string),
    property: rule.property,
    object,
    value,
    constraints: rule.constraints,
  };
  const many = rule.each && (Array.isArray(value) || value instanceof Set || value instanceof Map);
  for (const validator of rule.validators) {
    if (!many) {
      if (!validated(validator.validate(value, args))) return false;
      continue;
    }
    const items = value instanceof Map ? Array.from(value.values()) : Array.from(value as Iterable<unknown>);
    for (const item of items) if (!validated(validator.validate(item, args))) return false;
  }
  return true;
}

/** A constraint's answer; a promise is not an answer this check can give, so it is not "valid". */
function validated(result: unknown): boolean {
  if (
    result !== null &&
    typeof result === 'object' &&
    typeof (result as { then?: unknown }).then === 'function'
  )
    return false;
  return Boolean(result);
}

function buildPlan(storage: MetadataStorage, metadatas: Metadatas): ClassPlan {
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyPlan[] = [];
  for (const name of Object.keys(grouped)) {
    const conditions: PropertyPlan['conditions'][number][] = [];
    const defined: ConstraintRule[] = [];
    const rules: ConstraintRule[] = [];
    const nested: string[] = [];
    for (const m of grouped[name]!) {
      switch (m.type) {
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.IS_DEFINED:
          defined.push(ruleOf(storage, m));
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
          rules.push(ruleOf(storage, m));
          break;
        case ValidationTypes.NESTED_VALIDATION:
          nested.push(typeof m.target === 'string' ? m.target : m.target.name);
          break;
        default:
          return UNCOVERED;
      }
    }
    properties.push({ name, conditions, rules: [...defined, ...rules], nested });
  }
  return { covered: true, hasRules: metadatas.length > 0, properties };
}

function ruleOf(storage: MetadataStorage, m: Metadata): ConstraintRule {
  const validators = storage
    .getTargetValidatorConstraints(m.constraintCls)
    // validateSync ignores async constraints.
    .filter((c) => !c.async)
    .map((c) => c.instance as ConstraintRule['validators'][number]);
  const validateIf = (m as Metadata & { validateIf?: ConstraintRule['validateIf'] }).validateIf;
  return {
    property: m.propertyName,
    constraints: m.constraints,
    each: m.each === true,
    ...(validateIf === undefined ? {} : { validateIf }),
    validators,
  };
}
