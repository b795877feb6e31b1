/** A canonical model class: class-validator decorated, constructible without arguments. */
export type EntityClass<T extends object = object> = new () => T;

/**
 * Everything the hub needs to know about one canonical entity: its name, its published schema id and the
 * class that defines (and validates) its `data`. Each domain exports a list of these; `@hub/domains`
 * gathers them into `ALL_ENTITIES`.
 */
export interface EntityDefinition<T extends object = object> {
  /** `<domain>.<entity>`, e.g. `finance.spend`; mapping files name their entity by this. */
  readonly name: string;
  /** e.g. `finance` */
  readonly domain: string;
  /** e.g. `spend` (the `<entity>` of `canonical.<domain>.<entity>`) */
  readonly entity: string;
  /** Major version of the published schema. A breaking change means a new version, never an edit. */
  readonly version: number;
  /** `hub.<domain>.<entity>.v<version>`, the `schema` of every canonical record of this entity. */
  readonly schemaId: string;
  /** The class-validator class that defines the entity's `data`. */
  readonly model: EntityClass<T>;
  /** One or two sentences, published as the schema's description. */
  readonly description: string;
}

const SEGMENT = /^[a-z][a-z0-9-]*$/;

/**
 * Builds an {@link EntityDefinition}, deriving `name` and `schemaId` so they cannot disagree.
 * Throws at start-up on a malformed domain, entity or version (a programming error, not a data error).
 */
export function defineEntity<T extends object>(input: {
  readonly domain: string;
  readonly entity: string;
  readonly version: number;
  readonly model: EntityClass<T>;
  readonly description: string;
}): EntityDefinition<T> {
  const { domain, entity, version } = input;
  if (!SEGMENT.test(domain) || !SEGMENT.test(entity)) {
    throw new Error(
      `defineEntity: domain and entity must be lower-case kebab segments, got "${domain}.${entity}"`,
    );
  }
  if (!Number.isInteger(version) || version < 1) {
    throw new Error(`defineEntity: ${domain}.${entity} version must be a positive integer, got ${version}`);
  }
  return Object.freeze({
    ...input,
    name: `${domain}.${entity}`,
    schemaId: `hub.${domain}.${entity}.v${version}`,
  });
}
