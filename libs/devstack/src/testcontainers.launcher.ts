import type { StartedTestContainer } from 'testcontainers';
import { DevstackLog } from './devstack-log';
import { KAFKA_VERSION } from './kafka-version.constants';

/**
 * The Docker route, for laptops and CI runners that have a Docker engine. It cannot be exercised on the
 * project's own machine (no engine there), so it is kept small, is only tried when an engine answers, and
 * everything it starts is stopped through the returned handle.
 *
 * `@testcontainers/kafka` is not installed, so Kafka runs from the official `apache/kafka` image (same
 * version as the local pin) through GenericContainer, configured in KRaft combined mode by environment.
 */

/** How long to wait for a container engine to answer before falling back to the local stack. */
const ENGINE_PROBE_TIMEOUT_MS = 5_000;
const POSTGRES_IMAGE = 'postgres:16-alpine';

/** Containers started by {@link startContainerStack}. */
export interface ContainerStack {
  readonly brokers: string[];
  readonly databaseUrl: string;
  readonly containers: StartedTestContainer[];
  stop(): Promise<void>;
}

/** What to start in containers; a part already given by the environment is skipped. */
export interface ContainerStackRequest {
  /** Host port for Kafka's client listener (bound, not random: the broker must advertise it). */
  readonly kafkaPort?: number;
  readonly postgres: boolean;
  readonly log: DevstackLog;
}

/** True when testcontainers finds a working container engine within a few seconds. Never throws. */
export async function containerEngineAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ENGINE_PROBE_TIMEOUT_MS);
    });
    await Promise.race([getContainerRuntimeClient(), timeout]).finally(() => clearTimeout(timer));
    return true;
  } catch {
    return false;
  }
}

/** Starts Kafka and/or Postgres containers. Only call after {@link containerEngineAvailable}. */
export async function startContainerStack(request: ContainerStackRequest): Promise<ContainerStack> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const engineHost = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const containers: StartedTestContainer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(containers.map((c) => c.stop()));
  };
  try {
    let brokers: string[] = [];
    if (request.kafkaPort !== undefined) {
      const port = request.kafkaPort;
      request.log(`starting apache/kafka:${KAFKA_VERSION} container on ${engineHost}:${port}`);
      const kafka = await new GenericContainer(`apache/kafka:${KAFKA_VERSION}`)
        .withExposedPorts({ container: 9092, host: port })
        .withEnvironment({
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
          // Clients outside use PLAINTEXT (advertised as the engine host and the bound port);
          // the broker talks to itself over BROKER inside the container.
          KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,BROKER://0.0.0.0:9094,CONTROLLER://0.0.0.0:9093',
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${engineHost}:${port},BROKER://localhost:9094`,
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
          KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_NUM_PARTITIONS: '3',
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '3',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '3',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
          KAFKA_LOG_RETENTION_MS: '-1',
        })
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
        .start();
      containers.push(kafka);
      brokers = [`${engineHost}:${port}`];
    }
    let databaseUrl = '';
    if (request.postgres) {
      request.log(`starting ${POSTGRES_IMAGE} container`);
      const postgres = await new GenericContainer(POSTGRES_IMAGE)
        .withExposedPorts(5432)
        .withEnvironment({ POSTGRES_USER: 'hub', POSTGRES_PASSWORD: 'hub', POSTGRES_DB: 'hub' })
        // The image's entrypoint starts a temporary server for initdb scripts first, hence the second message.
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start();
      containers.push(postgres);
      databaseUrl = `postgres://hub:hub@${postgres.getHost()}:${postgres.getMappedPort(5432)}/hub`;
    }
    return { brokers, databaseUrl, containers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
