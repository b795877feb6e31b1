import { loadConfig } from '@hub/config';
import { migrate } from './data-source.factory';

/** `node dist/libs/persistence/src/migrate.main.js`: applies pending migrations and exits. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, ['DATABASE_URL']);
  const applied = await migrate(config.DATABASE_URL!, config.DATABASE_SCHEMA);
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
