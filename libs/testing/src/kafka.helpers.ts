import { Admin, IHeaders, Kafka, KafkaMessage, logLevel, Producer } from 'kafkajs';
import { uniqueName } from './unique-name';

/**
 * A kafkajs client for tests. Logs nothing by default: kafkajs reports expected events of a test's life
 * (rebalances, disconnects at teardown) as errors, which buries real failures. Pass `logLevel.ERROR` when
 * debugging. Retries are short so a broken broker fails a test quickly.
 */
export function newKafka(
  brokers: readonly string[],
  clientId: string,
  level: logLevel = logLevel.NOTHING,
): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: level,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 100, retries: 8 },
  });
}

/**
 * A producer for a test's council system or upstream stage: idempotent, so a send kafkajs retries after a
 * timeout (a busy CI broker) is not appended twice. A plain producer did exactly that in CI: 17 of 20
 * records reached the council topic twice, and tests that count what the hub received saw the duplicates
 * (which the hub itself handled correctly, as `duplicate`).
 */
export function newProducer(brokers: readonly string[], clientId: string): Producer {
  return newKafka(brokers, clientId).producer({ idempotent: true, maxInFlightRequests: 1 });
}

/**
 * Creates topics (no-op for ones that exist) and waits until each partition has a leader. The replication
 * factor defaults to the number of brokers, capped at 3, so the same test works against 1 or 3 nodes.
 */
export async function createTopics(
  brokers: readonly string[],
  topics: readonly string[],
  partitions = 3,
  replicationFactor?: number,
): Promise<void> {
  const admin = newKafka(brokers, 'test-admin').admin();
  await admin.connect();
  try {
    const factor = replicationFactor ?? Math.min(3, (await admin.describeCluster()).brokers.length);
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: factor })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until the broker's metadata shows every partition of `topics` with a leader. A topic an app has
 * just created can be missing from a broker's metadata for a moment (KRaft propagates it
 * asynchronously); a consumer that subscribes in that moment fails with "This server does not host this
 * topic-partition". Rejects after `timeoutMs`, naming the topics that were not ready.
 */
export async function waitForTopicLeaders(
  brokers: readonly string[],
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const admin = newKafka(brokers, 'test-admin').admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let notReady: readonly string[] = topics;
    for (;;) {
      notReady = await topicsWithoutLeaders(admin, topics);
      if (notReady.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`waitForTopicLeaders: no leader within ${timeoutMs} ms for ${notReady.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

async function topicsWithoutLeaders(admin: Admin, topics: readonly string[]): Promise<string[]> {
  try {
    const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
    const ready = new Set(
      found
        .filter(
          (t) =>
            t.partitions.length > 0 && t.partitions.every((p) => p.partitionErrorCode === 0 && p.leader >= 0),
        )
        .map((t) => t.name),
    );
    return topics.filter((t) => !ready.has(t));
  } catch {
    // An unknown topic fails the whole request: every topic counts as not ready yet.
    return [...topics];
  }
}

/** A consumed message in a shape that is easy to assert on. */
export interface ReceivedMessage {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kafkajs gives them as strings. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header values decoded as UTF-8. A header repeated on one message keeps its last value, as Java's `lastHeader` does. */
  readonly headers: Record<string, string>;
  readonly timestamp: string;
}

/** Options for {@link waitForMessages}. */
export interface WaitForMessagesOptions {
  /** Give up (and reject, saying how many arrived) after this long. Default 30 s. */
  readonly timeoutMs?: number;
  /** Read the topic from its start rather than only new messages. Default true. */
  readonly fromBeginning?: boolean;
  /** `read_committed` (default) hides aborted and still-open transactions, as the hub's consumers do. */
  readonly isolationLevel?: 'read_committed' | 'read_uncommitted';
  /**
   * Keep reading this long after `count` arrived and return everything, so a test can assert that no
   * extra message follows. Default 0.
   */
  readonly settleMs?: number;
}

/**
 * Consumes `topic` in a fresh consumer group until `count` messages have arrived and returns them in
 * arrival order (per partition in offset order). Rejects after `timeoutMs` with the number received.
 */
export async function waitForMessages(
  brokers: readonly string[],
  topic: string,
  count: number,
  options: WaitForMessagesOptions = {},
): Promise<ReceivedMessage[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const isolationLevel = options.isolationLevel ?? 'read_committed';
  const settleMs = options.settleMs ?? 0;
  const consumer = newKafka(brokers, 'test-wait').consumer({
    groupId: uniqueName('test-wait'),
    readUncommitted: isolationLevel === 'read_uncommitted',
    // Short fetch waits: a test should see a message within a fraction of a second of its arrival.
    maxWaitTimeInMs: 250,
  });
  const received: ReceivedMessage[] = [];
  let onCountReached: () => void = () => undefined;
  const countReached = new Promise<void>((resolve) => {
    onCountReached = resolve;
    if (count <= 0) resolve();
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      eachMessage: async ({ topic: from, partition, message }) => {
        received.push(toReceived(from, partition, message));
        if (received.length >= count) onCountReached();
      },
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `waitForMessages: ${received.length} of ${count} messages arrived on "${topic}" within ${timeoutMs} ms (${isolationLevel})`,
            ),
          ),
        timeoutMs,
      );
    });
    await Promise.race([countReached, timedOut]);
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return [...received];
  } finally {
    clearTimeout(timer);
    // Disconnecting from inside eachMessage would deadlock (it waits for the handler), hence out here.
    await consumer.disconnect();
  }
}

/** A kafkajs message as a {@link ReceivedMessage}. */
export function toReceived(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: decodeHeaders(message.headers),
    timestamp: message.timestamp,
  };
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) decoded[name] = value.toString();
  }
  return decoded;
}
