import type { Admin } from 'kafkajs';

/**
 * Consumer group of the ingest before namespacing. It is apps/ingest's INGEST_GROUP; written again here
 * rather than imported so the console does not load the ingest app's code.
 */
export const INGEST_GROUP = 'hub-ingest';

/** Lag of one consumer group on one topic. */
export interface TopicLag {
  topic: string;
  /** Messages not yet consumed, summed over partitions; null when the broker could not say. */
  lag: number | null;
  error?: string;
}

/** Lag of one partition: the end offset minus the committed one (from the start when nothing is committed). */
export function partitionLag(committed: string, high: string, low: string): number {
  const end = Number(high);
  const start = Number(low);
  const done = Number(committed);
  if (!Number.isFinite(done) || done < 0) return Math.max(0, end - start);
  return Math.max(0, end - Math.max(done, start));
}

/**
 * Reads a consumer group's lag from the broker: the group's committed offsets (admin fetchOffsets)
 * against each topic's end offsets (fetchTopicOffsets). One request for the group, one per topic.
 */
export class ConsumerLagReader {
  constructor(
    private readonly admin: Admin,
    readonly groupId: string,
  ) {}

  async read(topics: readonly string[]): Promise<TopicLag[]> {
    if (topics.length === 0) return [];
    const existing = new Set(await this.admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    const committed = present.length
      ? await this.admin.fetchOffsets({ groupId: this.groupId, topics: present })
      : [];
    const committedOf = new Map<string, string>();
    for (const t of committed)
      for (const p of t.partitions) committedOf.set(`${t.topic}/${p.partition}`, p.offset);
    return Promise.all(
      topics.map(async (topic): Promise<TopicLag> => {
        // A topic nobody has published to yet (and the ingest has not created) has nothing to lag behind.
        if (!existing.has(topic)) return { topic, lag: 0 };
        try {
          const ends = await this.admin.fetchTopicOffsets(topic);
          const lag = ends.reduce(
            (sum, p) => sum + partitionLag(committedOf.get(`${topic}/${p.partition}`) ?? '-1', p.high, p.low),
            0,
          );
          return { topic, lag };
        } catch (error) {
          return { topic, lag: null, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
  }
}
