import type { Kafka } from 'kafkajs';
import { ensureTopics } from '@hub/platform';

/**
 * Creates the topics of one bench namespace with the given partition count before any app or producer
 * touches them (the apps' own ensureTopics then finds them), and deletes them afterwards.
 */
export class BenchTopicsProvisioner {
  constructor(private readonly kafka: Kafka) {}

  async create(topics: readonly string[], partitions: number): Promise<void> {
    await ensureTopics(
      this.kafka,
      topics.map((topic) => ({ topic, partitions })),
      { partitions, replicationFactor: 1 },
    );
  }

  /** Deletes every topic of the given namespaces (those the bench made and those the apps made). */
  async deleteNamespaces(namespaces: readonly string[]): Promise<void> {
    if (namespaces.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const all = await admin.listTopics();
      const doomed = all.filter((t) => namespaces.some((ns) => t.startsWith(ns)));
      for (let i = 0; i < doomed.length; i += 50)
        await admin.deleteTopics({ topics: doomed.slice(i, i + 50), timeout: 30_000 });
      const groups = await admin.listGroups();
      const groupIds = groups.groups
        .map((g) => g.groupId)
        .filter((g) => namespaces.some((ns) => g.startsWith(ns)));
      if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
}
