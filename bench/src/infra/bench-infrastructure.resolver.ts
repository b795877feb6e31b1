import {
  KAFKA_VERSION,
  KafkaClusterHandle,
  PostgresHandle,
  resolveInfrastructure,
  startKafka,
  startPostgres,
} from '@hub/devstack';
import { CleanupRegistry } from './cleanup.registry';

/** The bench's own ports, so it can run beside `npm start` (9092/5433) and the tests (9192/5434). */
export const BENCH_PORTS = { kafka: 9392, postgres: 5436 } as const;

/** Kafka and Postgres for the bench, and what they are. */
export interface BenchInfrastructure {
  readonly brokers: string[];
  readonly databaseUrl: string;
  readonly kafka: { readonly source: 'env' | 'local'; readonly version: string; pid(): number | undefined };
  readonly postgres: {
    readonly source: 'env' | 'local';
    readonly durable: boolean | 'unknown';
    pid(): number | undefined;
  };
  stop(): Promise<void>;
}

/**
 * `KAFKA_BROKERS` / `DATABASE_URL` from the environment when set (nothing started, as resolveInfrastructure
 * does); otherwise the bench's own local Kafka and Postgres on {@link BENCH_PORTS}, data folders named
 * `bench`. Postgres is started directly with `durable` (fsync, full-page writes, synchronous commit) because
 * resolveInfrastructure has no such option and its default is the fast, non-durable dev database: audit
 * numbers from that would flatter the hub. Both are registered for cleanup.
 */
export async function startBenchInfrastructure(
  options: { durable: boolean; keepPostgresData: boolean },
  cleanup: CleanupRegistry,
): Promise<BenchInfrastructure> {
  const envBrokers = process.env.KAFKA_BROKERS?.trim();
  const envDatabase = process.env.DATABASE_URL?.trim();
  if (envBrokers && envDatabase) {
    const infra = await resolveInfrastructure({ purpose: 'start', name: 'bench', ports: BENCH_PORTS });
    return {
      brokers: infra.brokers,
      databaseUrl: infra.databaseUrl,
      kafka: { source: 'env', version: `external (project pins ${KAFKA_VERSION})`, pid: () => undefined },
      postgres: { source: 'env', durable: 'unknown', pid: () => undefined },
      stop: () => infra.stop(),
    };
  }
  const [kafkaResult, postgresResult] = await Promise.allSettled([
    envBrokers
      ? Promise.resolve(undefined)
      : startKafka({ name: 'bench', basePort: BENCH_PORTS.kafka, keepData: false }),
    envDatabase
      ? Promise.resolve(undefined)
      : startPostgres({
          name: 'bench',
          port: BENCH_PORTS.postgres,
          durable: options.durable,
          keepData: options.keepPostgresData,
        }),
  ]);
  const kafka: KafkaClusterHandle | undefined =
    kafkaResult.status === 'fulfilled' ? kafkaResult.value : undefined;
  const postgres: PostgresHandle | undefined =
    postgresResult.status === 'fulfilled' ? postgresResult.value : undefined;
  const stop = async (): Promise<void> => {
    await Promise.all([kafka?.stop(), postgres?.stop()]);
  };
  cleanup.add('Kafka and Postgres', stop);
  const failure = [kafkaResult, postgresResult].find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failure) throw failure.reason;
  return {
    brokers: kafka ? kafka.brokers : envBrokers!.split(',').map((b) => b.trim()),
    databaseUrl: postgres ? postgres.url : envDatabase!,
    kafka: {
      source: kafka ? 'local' : 'env',
      version: kafka ? kafka.version : `external (project pins ${KAFKA_VERSION})`,
      pid: () => kafka?.nodes[0]?.pid,
    },
    postgres: {
      source: postgres ? 'local' : 'env',
      durable: postgres ? options.durable : 'unknown',
      pid: () => postgres?.pid,
    },
    stop,
  };
}
