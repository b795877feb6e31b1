import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions?: number;
  /** e.g. { 'cleanup.policy': 'compact' } */
  config?: Record<string, string>;
}

/**
 * Creates the topics the hub depends on if they are missing (idempotent). Run at start-up so a
 * council publishing before its first record was ever consumed still lands on a topic with the
 * intended partition count rather than an auto-created one.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: TopicSpec[],
  defaults: { partitions: number; replicationFactor: number },
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = specs.filter((s) => !existing.has(s.topic));
        if (missing.length === 0) return;
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((s) => ({
            topic: s.topic,
            numPartitions: s.partitions ?? defaults.partitions,
            replicationFactor: defaults.replicationFactor,
            configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
        return;
      } catch (error) {
        // Right after creation a broker may briefly answer "does not host this topic-partition" while
        // leaders settle, and two apps starting together race to create the same topics. Both pass.
        if (attempt >= ENSURE_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

const ENSURE_ATTEMPTS = 5;
