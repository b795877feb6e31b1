import { Pool } from 'pg';

/** A node-postgres pool on the hub's schema, for the hot paths that use COPY or raw SQL. */
export function createPgPool(url: string, schema: string, max = 4): Pool {
  const pool = new Pool({
    connectionString: url,
    max,
    options: `-c search_path=${schema}`,
    application_name: 'council-integration-hub',
    connectionTimeoutMillis: 5_000,
  });
  // An idle client whose server went away (Postgres restarted or stopped) emits 'error' on the pool;
  // unhandled, that would crash the process. The next query reconnects or fails and is retried.
  pool.on('error', () => undefined);
  return pool;
}
