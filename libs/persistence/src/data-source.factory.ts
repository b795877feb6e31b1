import { DataSource } from 'typeorm';
import { AuditLog1764000000000 } from './migrations/1764000000000-audit-log.migration';
import { FeedHealthIndexes1764100000000 } from './migrations/1764100000000-feed-health-indexes.migration';
import { TransformHistoryIndexes1764200000000 } from './migrations/1764200000000-transform-history-indexes.migration';
import { FileUploads1764300000000 } from './migrations/1764300000000-file-uploads.migration';
import { RejectionHistoryIndex1764400000000 } from './migrations/1764400000000-rejection-history-index.migration';
import { NewestTransformIndex1764500000000 } from './migrations/1764500000000-newest-transform-index.migration';

/** Every migration, in order. Schema changes go through here; `synchronize` is never used. */
export const MIGRATIONS = [
  AuditLog1764000000000,
  FeedHealthIndexes1764100000000,
  TransformHistoryIndexes1764200000000,
  FileUploads1764300000000,
  RejectionHistoryIndex1764400000000,
  NewestTransformIndex1764500000000,
];

/**
 * A TypeORM DataSource on the hub's schema. `search_path` is set on every pooled connection so the
 * hub's SQL can name its tables unqualified while tests use one schema each.
 */
export function createDataSource(url: string, schema: string, poolSize = 5): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    schema,
    migrations: MIGRATIONS,
    migrationsTableName: 'hub_migrations',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      options: `-c search_path=${schema}`,
      application_name: 'council-integration-hub',
    },
  });
}

/** Creates the schema if needed and applies pending migrations; returns their names. */
export async function migrate(url: string, schema: string): Promise<string[]> {
  const bootstrap = new DataSource({ type: 'postgres', url, synchronize: false, logging: false });
  await bootstrap.initialize();
  try {
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await bootstrap.destroy();
  }
  const dataSource = createDataSource(url, schema, 1);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
