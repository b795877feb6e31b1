/** Injection token for the console's node-postgres pool. */
export const PG_POOL = Symbol('PG_POOL');
