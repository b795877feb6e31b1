export { createDataSource, migrate, MIGRATIONS } from './data-source.factory';
export { createPgPool } from './pg-pool.factory';
export { EVENT_TIME_MS } from './migrations/1764500000000-newest-transform-index.migration';
