import { randomBytes } from 'node:crypto';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { delay } from './process-control';

/** What "ready" means for {@link probeKafkaOnce}. */
export interface KafkaProbe {
  readonly brokers: readonly string[];
  /** Node ids that must appear in the cluster's metadata (live, unfenced brokers). */
  readonly expectNodeIds: readonly number[];
  /**
   * Also create and delete a topic with this replication factor and find the group coordinator, which
   * proves the controller quorum, partition leadership and the __consumer_offsets topic all work. Off when
   * only one node of a running cluster is being restarted.
   */
  readonly roundTripReplicationFactor?: number;
}

/** Timeouts for a single probe attempt; short, because the caller retries until its own deadline. */
const PROBE_CONNECTION_TIMEOUT_MS = 1_000;
const PROBE_REQUEST_TIMEOUT_MS = 10_000;
const PROBE_INTERVAL_MS = 250;

/**
 * One readiness attempt with kafkajs itself (the client the hub uses), so "ready" means "kafkajs can
 * work", not merely "the port is open". Throws on any failure; {@link waitForKafka} retries.
 */
export async function probeKafkaOnce(probe: KafkaProbe): Promise<void> {
  const kafka = new Kafka({
    clientId: 'devstack-probe',
    brokers: [...probe.brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: PROBE_CONNECTION_TIMEOUT_MS,
    requestTimeout: PROBE_REQUEST_TIMEOUT_MS,
    retry: { retries: 0 },
  });
  const admin: Admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    const live = new Set(cluster.brokers.map((b) => b.nodeId));
    const missing = probe.expectNodeIds.filter((id) => !live.has(id));
    if (missing.length > 0) throw new Error(`nodes ${missing.join(', ')} not in cluster metadata yet`);
    if (probe.roundTripReplicationFactor === undefined) return;

    const topic = `devstack-probe-${randomBytes(4).toString('hex')}`;
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: probe.roundTripReplicationFactor }],
      waitForLeaders: true,
      timeout: PROBE_REQUEST_TIMEOUT_MS,
    });
    await admin.deleteTopics({ topics: [topic], timeout: PROBE_REQUEST_TIMEOUT_MS });
    // FindCoordinator makes the broker create __consumer_offsets; doing it here means the first test's
    // consumer joins at once instead of retrying COORDINATOR_NOT_AVAILABLE.
    await admin.describeGroups(['devstack-probe']);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Retries {@link probeKafkaOnce} until it succeeds or `timeoutMs` passes. `checkAlive` runs before each
 * attempt and throws to abort early (e.g. the JVM already exited), so a broken broker fails in seconds,
 * not at the timeout. Rejects with the last probe error as `cause`.
 */
export async function waitForKafka(
  probe: KafkaProbe,
  timeoutMs: number,
  checkAlive: () => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    checkAlive();
    try {
      await probeKafkaOnce(probe);
      return;
    } catch (error) {
      lastError = error;
    }
    await delay(PROBE_INTERVAL_MS);
  }
  checkAlive();
  throw new Error(
    `not ready after ${timeoutMs} ms (last probe error: ${lastError instanceof Error ? lastError.message : String(lastError)})`,
    { cause: lastError },
  );
}
