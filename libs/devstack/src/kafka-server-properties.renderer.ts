import { randomBytes } from 'node:crypto';

/** Loopback only: test traffic must never leave the machine. */
export const KAFKA_HOST = '127.0.0.1';

/** One node of a local KRaft cluster: broker and controller in the same JVM ("combined" mode). */
export interface KafkaNodeLayout {
  /** `node.id`, 1-based. */
  readonly id: number;
  /** PLAINTEXT listener, the one clients use. */
  readonly brokerPort: number;
  /** CONTROLLER listener, used only by the KRaft quorum. */
  readonly controllerPort: number;
}

/**
 * Port layout of a local cluster. One node: broker on `basePort`, controller on `basePort + 1`.
 * Three nodes follow RUNTIME.md's pattern (19092/19093, 29092/29093, 39092/39093 for basePort 9092):
 * node `id` gets `id * 10000 + basePort` and the next port, so two stacks with different base ports
 * (`npm start` on 9092, tests on 9192) never collide.
 */
export function kafkaNodeLayout(nodes: 1 | 3, basePort: number): KafkaNodeLayout[] {
  const layout =
    nodes === 1
      ? [{ id: 1, brokerPort: basePort, controllerPort: basePort + 1 }]
      : [1, 2, 3].map((id) => ({
          id,
          brokerPort: id * 10_000 + basePort,
          controllerPort: id * 10_000 + basePort + 1,
        }));
  for (const node of layout) {
    if (node.brokerPort < 1024 || node.controllerPort > 65_535) {
      throw new RangeError(
        `Kafka node ${node.id} would use ports ${node.brokerPort}/${node.controllerPort}; pick a basePort that keeps them within 1024-65535`,
      );
    }
  }
  return layout;
}

/** Everything {@link renderServerProperties} needs; no defaults hidden elsewhere. */
export interface ServerPropertiesInput {
  readonly node: KafkaNodeLayout;
  /** All nodes of the cluster: they are all voters of the KRaft quorum. */
  readonly cluster: readonly KafkaNodeLayout[];
  /** `log.dirs` (also holds the KRaft metadata log). */
  readonly logDir: string;
  /** Partitions of auto-created topics and of topics created without a count. */
  readonly partitions: number;
}

/**
 * Renders a node's `server.properties`. Pure, so the settings are unit-tested without a JVM.
 * Single node: every replication factor and ISR is 1. Three nodes: replication 3 with min ISR 2,
 * so killing or pausing one node is survivable, which is what the fault tests exercise.
 */
export function renderServerProperties(input: ServerPropertiesInput): string {
  const { node, cluster, logDir, partitions } = input;
  const replicated = cluster.length >= 3;
  const replicationFactor = replicated ? 3 : 1;
  const minIsr = replicated ? 2 : 1;
  const voters = cluster.map((n) => `${n.id}@${KAFKA_HOST}:${n.controllerPort}`).join(',');
  const entries: Array<[string, string | number | boolean] | string> = [
    '# Rendered by libs/devstack (kafka-server-properties.renderer.ts) on every start; edits here are lost.',
    '# KRaft combined mode: this JVM is both a broker and a controller, no ZooKeeper.',
    ['process.roles', 'broker,controller'],
    ['node.id', node.id],
    ['controller.quorum.voters', voters],
    [
      'listeners',
      `PLAINTEXT://${KAFKA_HOST}:${node.brokerPort},CONTROLLER://${KAFKA_HOST}:${node.controllerPort}`,
    ],
    ['advertised.listeners', `PLAINTEXT://${KAFKA_HOST}:${node.brokerPort}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['log.dirs', logDir],
    '# Topics: tests and the hub create topics on the fly.',
    ['auto.create.topics.enable', true],
    ['delete.topic.enable', true],
    ['num.partitions', partitions],
    ['default.replication.factor', replicationFactor],
    ['min.insync.replicas', minIsr],
    '# Internal topics: few partitions keep start-up and the first group join / transaction fast.',
    ['offsets.topic.replication.factor', replicationFactor],
    ['offsets.topic.num.partitions', 3],
    ['transaction.state.log.replication.factor', replicationFactor],
    ['transaction.state.log.min.isr', minIsr],
    ['transaction.state.log.num.partitions', 3],
    '# Consumers join at once instead of waiting 3 s for more members (tests start one consumer at a time).',
    ['group.initial.rebalance.delay.ms', 0],
    '# Abort transactions of producers that died mid-transaction within seconds, not the default minute-scale.',
    ['transaction.abort.timed.out.transaction.cleanup.interval.ms', 10_000],
    '# Never delete data by age: fixtures carry old event timestamps, and time-based retention would drop',
    '# their segments as soon as they roll.',
    ['log.retention.ms', -1],
    ['log.retention.bytes', -1],
    '# A dev box has 2 cores: fewer threads, and a smaller log-cleaner buffer (default 128 MB of heap).',
    ['num.network.threads', 2],
    ['num.io.threads', 4],
    ['num.recovery.threads.per.data.dir', 1],
    ['log.cleaner.dedupe.buffer.size', 32 * 1024 * 1024],
  ];
  const lines = entries.map((entry) =>
    typeof entry === 'string' ? entry : `${entry[0]}=${escapeValue(String(entry[1]))}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Java properties treat backslashes as escapes; paths on Windows would need them doubled. */
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\');
}

/**
 * A new KRaft cluster id, in the format `kafka-storage random-uuid` prints: 16 random bytes, base64url,
 * no padding. Generated here instead of by the storage tool to save a JVM start (~1 s). Like Kafka's own
 * `Uuid.randomUuid()`, ids starting with "-" are avoided (they would parse as a command-line flag).
 */
export function newKafkaClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
