import { Client } from 'pg';
import { uniqueIdentifier } from './unique-name';

/** A Postgres schema that belongs to one test. */
export interface TestSchema {
  /** The schema's name, e.g. `audit_1732406400000_a1b2c3`. */
  readonly name: string;
  /**
   * The database URL with `options=-c search_path=<name>`, so a pool or ORM opened with it creates and
   * reads tables in this schema without qualifying names.
   */
  readonly databaseUrl: string;
  /** Drops the schema and everything in it. */
  cleanup(): Promise<void>;
}

/**
 * Creates a schema unique to the calling test, so tests can run in parallel against one database and
 * migrations can run from empty each time.
 */
export async function createSchema(databaseUrl: string, prefix = 'test'): Promise<TestSchema> {
  const name = uniqueIdentifier(prefix);
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA ${client.escapeIdentifier(name)}`));
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    databaseUrl: url.toString(),
    cleanup: () =>
      withClient(databaseUrl, (client) =>
        client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(name)} CASCADE`),
      ).then(() => undefined),
  };
}

async function withClient<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
