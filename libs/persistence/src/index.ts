export { createDataSource, migrate, MIGRATIONS } from './data-source.factory';
export { createPgPool } from './pg-pool.factory';
