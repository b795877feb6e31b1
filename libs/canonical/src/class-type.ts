/** Any class constructor (abstract or not), as decorators and metadata registries see it. */
export type ClassType = abstract new (...args: never[]) => object;
