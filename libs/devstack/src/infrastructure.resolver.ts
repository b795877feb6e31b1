import { consoleDevstackLog, DevstackLog } from './devstack-log';
import { KafkaClusterHandle, startKafka } from './kafka-cluster.launcher';
import { PostgresHandle, startPostgres } from './postgres.launcher';
import { ContainerStack, containerEngineAvailable, startContainerStack } from './testcontainers.launcher';

/** Where a piece of infrastructure came from. */
export type InfrastructureSource = 'env' | 'testcontainers' | 'local';

/** Options for {@link resolveInfrastructure}. */
export interface ResolveInfrastructureOptions {
  /** `start`: `npm start` (never tries Docker, keeps data by default). `test`: a test run (fresh data). */
  readonly purpose: 'start' | 'test';
  /** Kafka base port (single node: broker on it, controller on the next) and Postgres port. */
  readonly ports: { readonly kafka: number; readonly postgres: number };
  /** Data folder names under `.local/`. Default: the purpose (`start` uses `dev`, `test` uses `test`). */
  readonly name?: string;
  /** Keep Kafka and Postgres data between runs. Default: true for `start`, false for `test`. */
  readonly keepData?: boolean;
  /** Environment to read KAFKA_BROKERS / DATABASE_URL from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: DevstackLog;
}

/** Kafka and Postgres, wherever they came from, plus what to stop. */
export interface ResolvedInfrastructure {
  readonly brokers: string[];
  readonly databaseUrl: string;
  /** `env` when nothing was started; otherwise how the started parts were started. */
  readonly source: InfrastructureSource;
  readonly sources: { readonly kafka: InfrastructureSource; readonly database: InfrastructureSource };
  /** Whatever this call started (nothing for parts taken from the environment). */
  readonly handles: {
    readonly kafka?: KafkaClusterHandle;
    readonly postgres?: PostgresHandle;
    readonly containers?: ContainerStack;
  };
  /** Stops only what this call started. */
  stop(): Promise<void>;
}

/**
 * Finds or starts the broker and database, in this order of preference:
 * 1. `KAFKA_BROKERS` (comma list) / `DATABASE_URL` from the environment: used as they are, nothing started;
 * 2. for tests only, a Docker engine reachable by testcontainers: containers;
 * 3. otherwise the local stack: Kafka from Maven Central jars ({@link startKafka}) and embedded Postgres
 *    ({@link startPostgres}), started in parallel.
 * Each part is resolved on its own, so `KAFKA_BROKERS` alone still gets a local database.
 */
export async function resolveInfrastructure(
  options: ResolveInfrastructureOptions,
): Promise<ResolvedInfrastructure> {
  const env = options.env ?? process.env;
  const log = options.log ?? consoleDevstackLog;
  const name = options.name ?? (options.purpose === 'start' ? 'dev' : 'test');
  const keepData = options.keepData ?? options.purpose === 'start';

  const envBrokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const envDatabaseUrl = env.DATABASE_URL?.trim() || undefined;
  const needKafka = envBrokers.length === 0;
  const needDatabase = envDatabaseUrl === undefined;

  if (!needKafka && !needDatabase) {
    log(`using KAFKA_BROKERS=${envBrokers.join(',')} and DATABASE_URL from the environment`);
    return {
      brokers: envBrokers,
      databaseUrl: envDatabaseUrl as string,
      source: 'env',
      sources: { kafka: 'env', database: 'env' },
      handles: {},
      stop: async () => undefined,
    };
  }

  if (options.purpose === 'test' && (await containerEngineAvailable())) {
    const containers = await startContainerStack({
      kafkaPort: needKafka ? options.ports.kafka : undefined,
      postgres: needDatabase,
      log,
    });
    return {
      brokers: needKafka ? containers.brokers : envBrokers,
      databaseUrl: needDatabase ? containers.databaseUrl : (envDatabaseUrl as string),
      source: 'testcontainers',
      sources: {
        kafka: needKafka ? 'testcontainers' : 'env',
        database: needDatabase ? 'testcontainers' : 'env',
      },
      handles: { containers },
      stop: () => containers.stop(),
    };
  }

  const [kafkaResult, postgresResult] = await Promise.allSettled([
    needKafka
      ? startKafka({ name, basePort: options.ports.kafka, keepData, log })
      : Promise.resolve(undefined),
    needDatabase
      ? startPostgres({ name, port: options.ports.postgres, keepData, log })
      : Promise.resolve(undefined),
  ]);
  const kafka = kafkaResult.status === 'fulfilled' ? kafkaResult.value : undefined;
  const postgres = postgresResult.status === 'fulfilled' ? postgresResult.value : undefined;
  const stop = async (): Promise<void> => {
    await Promise.all([kafka?.stop(), postgres?.stop()]);
  };
  // If one half failed, do not leave the other half running.
  const failure = [kafkaResult, postgresResult].find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return {
    brokers: kafka ? kafka.brokers : envBrokers,
    databaseUrl: postgres ? postgres.url : (envDatabaseUrl as string),
    source: 'local',
    sources: { kafka: needKafka ? 'local' : 'env', database: needDatabase ? 'local' : 'env' },
    handles: { kafka, postgres },
    stop,
  };
}
