import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { consoleDevstackLog, DevstackLog, formatMs } from './devstack-log';
import { DevstackError } from './devstack.error';
import { ensureKafkaDistribution, KafkaDistribution } from './kafka-distribution.fetcher';
import { KAFKA_NODE_MARKER_PROPERTY, KafkaNodeProcess } from './kafka-node.process';
import { waitForKafka } from './kafka-readiness.probe';
import {
  KAFKA_HOST,
  kafkaNodeLayout,
  KafkaNodeLayout,
  newKafkaClusterId,
  renderServerProperties,
} from './kafka-server-properties.renderer';
import { acquireDataDirLock } from './data-dir.lock';
import { assertPortFree, findProcesses, terminate } from './process-control';
import { assertSafeName, localPath } from './repo-paths';

const execFileAsync = promisify(execFile);

/** Options for {@link startKafka}. Every default is written here, once. */
export interface StartKafkaOptions {
  /** Names the data folder `.local/kafka/data-<name>`. Default `dev`. */
  readonly name?: string;
  /** 1 for everyday work; 3 for fault tests (replication 3, min ISR 2). Default 1. */
  readonly nodes?: 1 | 3;
  /** Single node: broker on basePort, controller on basePort+1; 3 nodes: see kafkaNodeLayout. Default 9092. */
  readonly basePort?: number;
  /** Partitions of auto-created topics. Default 3. */
  readonly partitions?: number;
  /** Keep the previous data (topics, offsets) instead of wiping and re-formatting. Default false. */
  readonly keepData?: boolean;
  /** How long to wait for the cluster to answer kafkajs. Default 180 s (a cold JVM on 2 cores is slow). */
  readonly readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 20 s. */
  readonly stopTimeoutMs?: number;
  /** Progress sink. Default stdout. */
  readonly log?: DevstackLog;
}

/** A node as callers see it. `pid` is undefined while the node is down (killed or stopped). */
export interface KafkaNodeInfo {
  readonly id: number;
  readonly pid: number | undefined;
  /** The node's client (PLAINTEXT) port. */
  readonly port: number;
  readonly logFile: string;
}

/** A running local Kafka cluster, with the controls fault tests need. */
export interface KafkaClusterHandle {
  /** Bootstrap list for clients, e.g. `['127.0.0.1:9192']`. */
  readonly brokers: string[];
  /** Current state of each node (pids change after restartNode). */
  readonly nodes: KafkaNodeInfo[];
  readonly version: string;
  readonly dataDir: string;
  /** Stops every node (SIGTERM, wait, then SIGKILL) and releases the data folder. Safe to call twice. */
  stop(): Promise<void>;
  /** Crash a node: `kill -9`. Resolves when it is gone. */
  killNode(id: number): Promise<void>;
  /** Start a node again on its existing data (stopping it first if it still runs) and wait until it has rejoined. */
  restartNode(id: number): Promise<void>;
  /** Hang a node: SIGSTOP. It keeps its sockets open but answers nothing. */
  pauseNode(id: number): void;
  /** Undo {@link pauseNode}: SIGCONT. */
  resumeNode(id: number): void;
}

const DEFAULTS = {
  name: 'dev',
  nodes: 1 as 1 | 3,
  basePort: 9092,
  partitions: 3,
  keepData: false,
  readyTimeoutMs: 180_000,
  stopTimeoutMs: 20_000,
};
/** RUNTIME.md: -Xmx1g is plenty for one node; three JVMs share a 2-core box, so less each. */
const HEAP_MAX_MB = { single: 768, perNodeOfThree: 512 };

/**
 * Starts a real Apache Kafka (KRaft, no ZooKeeper) from the Maven Central jars, bound to 127.0.0.1 only,
 * and resolves once kafkajs can create a topic and find a group coordinator on it.
 *
 * Unless `keepData` is set, the data folder is wiped and formatted afresh, so every run starts from empty
 * topics. Brokers left running by an earlier run that was killed (same data folder) are killed first.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaClusterHandle> {
  const opts = {
    name: options.name ?? DEFAULTS.name,
    nodes: options.nodes ?? DEFAULTS.nodes,
    basePort: options.basePort ?? DEFAULTS.basePort,
    partitions: options.partitions ?? DEFAULTS.partitions,
    keepData: options.keepData ?? DEFAULTS.keepData,
    readyTimeoutMs: options.readyTimeoutMs ?? DEFAULTS.readyTimeoutMs,
    stopTimeoutMs: options.stopTimeoutMs ?? DEFAULTS.stopTimeoutMs,
  };
  const log = options.log ?? consoleDevstackLog;
  assertSafeName(opts.name, 'Kafka data');
  const started = Date.now();
  const distribution = await ensureKafkaDistribution({ log });

  const dataDir = localPath('kafka', `data-${opts.name}`);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const releaseLock = acquireDataDirLock(`${dataDir}.lock`, `Kafka "${opts.name}" (${dataDir})`);
  try {
    return await startLockedKafka(opts, dataDir, distribution, started, log, releaseLock);
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function startLockedKafka(
  opts: Required<Omit<StartKafkaOptions, 'log'>>,
  dataDir: string,
  distribution: KafkaDistribution,
  started: number,
  log: DevstackLog,
  releaseLock: () => void,
): Promise<KafkaClusterHandle> {
  // We own the folder now, so any broker still running on it is an orphan of a dead run.
  await killStaleBrokers(dataDir, log);
  const layout = kafkaNodeLayout(opts.nodes, opts.basePort);
  for (const node of layout) {
    await assertPortFree(node.brokerPort, `Kafka node ${node.id} broker`);
    await assertPortFree(node.controllerPort, `Kafka node ${node.id} controller`);
  }
  if (!opts.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });

  const clusterIdFile = path.join(dataDir, 'cluster-id');
  const clusterId =
    opts.keepData && fs.existsSync(clusterIdFile)
      ? fs.readFileSync(clusterIdFile, 'utf8').trim()
      : newKafkaClusterId();
  fs.writeFileSync(clusterIdFile, `${clusterId}\n`);

  const heapMaxMb = opts.nodes === 3 ? HEAP_MAX_MB.perNodeOfThree : HEAP_MAX_MB.single;
  const nodes = layout.map((node) =>
    prepareNode(dataDir, node, layout, opts.partitions, heapMaxMb, distribution),
  );
  await Promise.all(nodes.map((node) => formatStorage(node, clusterId, distribution)));

  const brokers = layout.map((n) => `${KAFKA_HOST}:${n.brokerPort}`);
  log(
    `starting Kafka ${distribution.version} (${opts.nodes} node${opts.nodes === 1 ? '' : 's'}) at ${brokers.join(',')}; logs in ${dataDir}`,
  );
  for (const node of nodes) node.start();
  try {
    await waitForKafka(
      {
        brokers,
        expectNodeIds: layout.map((n) => n.id),
        roundTripReplicationFactor: opts.nodes === 3 ? 3 : 1,
      },
      opts.readyTimeoutMs,
      () => failIfAnyExited(nodes),
    );
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop(5_000)));
    throw asStartFailure(error, nodes);
  }
  log(`Kafka ready at ${brokers.join(',')} in ${formatMs(Date.now() - started)}`);
  return createHandle(
    nodes,
    brokers,
    distribution.version,
    dataDir,
    opts.stopTimeoutMs,
    opts.readyTimeoutMs,
    log,
    releaseLock,
  );
}

function prepareNode(
  dataDir: string,
  layout: KafkaNodeLayout,
  cluster: readonly KafkaNodeLayout[],
  partitions: number,
  heapMaxMb: number,
  distribution: KafkaDistribution,
): KafkaNodeProcess {
  const nodeDir = path.join(dataDir, `node-${layout.id}`);
  const logDir = path.join(nodeDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const propertiesFile = path.join(nodeDir, 'server.properties');
  fs.writeFileSync(propertiesFile, renderServerProperties({ node: layout, cluster, logDir, partitions }));
  return new KafkaNodeProcess(
    { layout, nodeDir, propertiesFile, logFile: path.join(dataDir, `broker-${layout.id}.log`), heapMaxMb },
    distribution,
  );
}

/**
 * `kafka-storage format`, run through the broker jar's own StorageTool. Skipped when the node's storage
 * is already formatted (kept data), which saves a JVM start; `-g` makes a re-format harmless anyway.
 */
async function formatStorage(
  node: KafkaNodeProcess,
  clusterId: string,
  distribution: KafkaDistribution,
): Promise<void> {
  if (fs.existsSync(path.join(node.spec.nodeDir, 'logs', 'meta.properties'))) return;
  const args = [
    '-Xmx256m',
    `-Dlog4j.configuration=file:${distribution.log4jConfig}`,
    '-cp',
    distribution.classpath,
    'kafka.tools.StorageTool',
    'format',
    '-g',
    '-t',
    clusterId,
    '-c',
    node.spec.propertiesFile,
  ];
  try {
    const { stdout, stderr } = await execFileAsync('java', args, { timeout: 120_000 });
    fs.appendFileSync(node.spec.logFile, `===== storage format =====\n${stdout}${stderr}`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DevstackError(
      `Formatting Kafka node ${node.id}'s storage failed (java ${args.join(' ')}):\n${detail}`,
      { cause: error },
    );
  }
}

/** Brokers of an earlier run on the same data folder, recognised by their command-line marker. */
async function killStaleBrokers(dataDir: string, log: DevstackLog): Promise<void> {
  const prefix = `-D${KAFKA_NODE_MARKER_PROPERTY}=${dataDir}${path.sep}`;
  const stale = findProcesses((args) => args.some((arg) => arg.startsWith(prefix)));
  if (stale.length === 0) return;
  log(
    `killing ${stale.length} Kafka JVM(s) left running on ${dataDir} by an earlier run (pids ${stale.join(', ')})`,
  );
  await Promise.all(stale.map((pid) => terminate(pid, 'SIGKILL', 10_000)));
}

function failIfAnyExited(nodes: readonly KafkaNodeProcess[]): void {
  const dead = nodes.find((n) => n.exited !== undefined);
  if (dead) throw new DevstackError(dead.describeFailure());
}

function asStartFailure(error: unknown, nodes: readonly KafkaNodeProcess[]): DevstackError {
  if (error instanceof DevstackError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const details = nodes.map((n) => n.describeFailure()).join('\n\n');
  return new DevstackError(`Kafka did not become ready: ${reason}\n${details}`, { cause: error });
}

function createHandle(
  nodes: KafkaNodeProcess[],
  brokers: string[],
  version: string,
  dataDir: string,
  stopTimeoutMs: number,
  readyTimeoutMs: number,
  log: DevstackLog,
  releaseLock: () => void,
): KafkaClusterHandle {
  const byId = (id: number): KafkaNodeProcess => {
    const node = nodes.find((n) => n.id === id);
    if (!node)
      throw new DevstackError(
        `No Kafka node ${id}; this cluster has nodes ${nodes.map((n) => n.id).join(', ')}`,
      );
    return node;
  };
  return {
    brokers,
    version,
    dataDir,
    get nodes(): KafkaNodeInfo[] {
      return nodes.map((n) => ({
        id: n.id,
        pid: n.pid,
        port: n.spec.layout.brokerPort,
        logFile: n.spec.logFile,
      }));
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop(stopTimeoutMs)));
      releaseLock();
    },
    async killNode(id) {
      const node = byId(id);
      node.kill('SIGKILL');
      await node.waitForExit();
    },
    async restartNode(id) {
      const node = byId(id);
      await node.stop(stopTimeoutMs);
      const started = Date.now();
      node.start();
      const port = node.spec.layout.brokerPort;
      try {
        // Ask the restarted node itself: it must answer metadata and be listed as a live broker again.
        await waitForKafka({ brokers: [`${KAFKA_HOST}:${port}`], expectNodeIds: [id] }, readyTimeoutMs, () =>
          failIfAnyExited([node]),
        );
      } catch (error) {
        throw asStartFailure(error, [node]);
      }
      log(`Kafka node ${id} back in ${formatMs(Date.now() - started)}`);
    },
    pauseNode(id) {
      byId(id).kill('SIGSTOP');
    },
    resumeNode(id) {
      byId(id).kill('SIGCONT');
    },
  };
}
