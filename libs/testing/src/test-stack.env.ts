/** The broker and database the test run's global setup started (see test/setup/global-setup.ts). */
export interface TestStack {
  readonly brokers: string[];
  readonly databaseUrl: string;
}

/**
 * Reads KAFKA_BROKERS and DATABASE_URL, which global setup exports to every jest worker. Throws with a
 * hint when they are missing, which means the test was run outside the integration/e2e projects.
 */
export function testStack(): TestStack {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const databaseUrl = process.env.DATABASE_URL ?? '';
  if (brokers.length === 0 || databaseUrl === '') {
    throw new Error(
      "KAFKA_BROKERS / DATABASE_URL are not set: run integration tests through jest's integration or e2e project (e.g. `npx jest --selectProjects integration`), whose global setup starts the stack",
    );
  }
  return { brokers, databaseUrl };
}
