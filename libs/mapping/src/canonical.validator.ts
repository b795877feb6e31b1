import { nestedFieldsOf, type ClassType, type EntityDefinition } from '@hub/canonical';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import type { CanonicalData } from './canonical-path.accessor';
import { compileFastCheck } from './class-validator-fast-check';
import { installClassValidatorMetadataCache } from './class-validator-metadata.cache';

/** One class-validator violation, located by canonical dotted path. */
export interface CanonicalViolation {
  readonly path: string;
  readonly message: string;
}

/** Validates mapped data against the entity's class; returns the violations (empty when valid). */
export type CanonicalValidator = (data: CanonicalData) => CanonicalViolation[];

const OPTIONS: ValidatorOptions = {
  forbidUnknownValues: true,
  // Never carry the value (possibly personal data) or the instance into the error objects.
  validationError: { target: false, value: false },
};

/**
 * Compiles the canonical check of one entity: builds an instance of the entity class (and its `@Nested`
 * classes) from the mapped plain data, then runs class-validator's `validateSync`.
 *
 * The instance is built by a function compiled from the model's `@Nested` declarations instead of
 * class-transformer's `plainToInstance`: for these plain, decorator-described classes the result is the
 * same (own properties copied, nested objects as their classes), at a fraction of the cost on the hot
 * path. A spec checks the two agree. class-validator's per-call metadata lookup is cached
 * ({@link installClassValidatorMetadataCache}) for the same reason, and a valid record (nearly every record)
 * is recognised by {@link compileFastCheck}, which runs class-validator's own rules without its error
 * bookkeeping; anything else goes to `validateSync` for the verdict and the messages.
 */
export function compileCanonicalValidator(entity: EntityDefinition): CanonicalValidator {
  installClassValidatorMetadataCache();
  const instantiate = compileInstantiator(entity.model);
  const fastCheck = compileFastCheck();
  const flags = globalThis as { [CROSS_CHECK]?: boolean };
  return (data) => {
    const instance = instantiate(data);
    const certainlyValid = fastCheck(instance);
    const crossCheck = flags[CROSS_CHECK] === true;
    if (certainlyValid && !crossCheck) return [];
    const errors = validateSync(instance, OPTIONS);
    if (crossCheck && certainlyValid !== (errors.length === 0)) {
      throw new Error(
        `compileFastCheck and class-validator disagree on a ${entity.schemaId} record: fast check ${certainlyValid ? 'valid' : 'invalid'}, class-validator ${errors.length === 0 ? 'valid' : `invalid (${errors.map((e) => e.property).join(', ')})`}`,
      );
    }
    if (errors.length === 0) return [];
    const out: CanonicalViolation[] = [];
    collect(errors, '', out, entity.schemaId);
    return out;
  };
}

/** Where {@link setValidatorCrossCheck} keeps its switch: global, so a test setup file can set it without loading this module. */
const CROSS_CHECK = Symbol.for('@hub/mapping.validator-cross-check');

/**
 * Validates every record both ways, {@link compileFastCheck} and class-validator, and throws if they ever
 * disagree: for tests (every unit test, and the ingest processes the real-stack tests start, through
 * `HUB_VALIDATOR_CROSSCHECK`) and for diagnosis. It doubles the cost of validation.
 */
export function setValidatorCrossCheck(enabled: boolean): void {
  (globalThis as { [CROSS_CHECK]?: boolean })[CROSS_CHECK] = enabled;
}

type Instantiator = (plain: CanonicalData) => object;

/** @internal exported for the spec that compares it with plainToInstance */
export function compileInstantiator(model: ClassType): Instantiator {
  // Canonical models are concrete classes with no constructor arguments (EntityClass).
  const ctor = model as unknown as new () => object;
  const nested = [...nestedFieldsOf(model)].map(([name, field]) => ({
    name,
    each: field.each,
    type: field.type,
  }));
  if (nested.length === 0) return (plain) => Object.assign(new ctor(), plain);
  // Children are compiled on first use, so recursive models do not recurse at compile time.
  const children = new Map<string, Instantiator>();
  const child = (name: string, type: () => ClassType): Instantiator => {
    let compiled = children.get(name);
    if (compiled === undefined) children.set(name, (compiled = compileInstantiator(type())));
    return compiled;
  };
  return (plain) => {
    const instance = Object.assign(new ctor(), plain) as Record<string, unknown>;
    for (const { name, each, type } of nested) {
      const value = plain[name];
      if (value === undefined || value === null || typeof value !== 'object') continue;
      const make = child(name, type);
      instance[name] = each
        ? Array.isArray(value)
          ? value.map((item: unknown) =>
              item !== null && typeof item === 'object' ? make(item as CanonicalData) : item,
            )
          : value
        : Array.isArray(value)
          ? value
          : make(value as CanonicalData);
    }
    return instance;
  };
}

function collect(
  errors: readonly ValidationError[],
  prefix: string,
  out: CanonicalViolation[],
  schemaId: string,
): void {
  for (const error of errors) {
    const path = prefix + error.property;
    if (error.constraints !== undefined) {
      const rules = Object.keys(error.constraints).join(', ');
      out.push({
        path,
        message: `${path} breaks the canonical rule ${rules} of ${schemaId}: ${Object.values(error.constraints).join('; ')}`,
      });
    }
    if (error.children !== undefined && error.children.length > 0)
      collect(error.children, `${path}.`, out, schemaId);
  }
}
