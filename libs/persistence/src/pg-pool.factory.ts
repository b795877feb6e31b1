import { Pool } from 'pg';

/** A node-postgres pool on the hub's schema, for the hot paths that use COPY or raw SQL. */
export function createPgPool(url: string, schema: string, max = 4): Pool {
  return new Pool({
    connectionString: url,
    max,
    options: `-c search_path=${schema}`,
    application_name: 'council-integration-hub',
    connectionTimeoutMillis: 5_000,
  });
}
