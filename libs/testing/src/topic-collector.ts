import type { Consumer } from 'kafkajs';
import type { ReceivedMessage } from './kafka.helpers';
import { newKafka, toReceived, waitForTopicLeaders } from './kafka.helpers';
import { uniqueName } from './unique-name';

/** Everything a {@link TopicCollector} has read so far, by topic, in arrival order. */
export interface TopicCollector {
  /** Messages of one topic (empty until some arrive). */
  on(topic: string): readonly ReceivedMessage[];
  /** Resolves once `predicate` holds over what has arrived; rejects after `timeoutMs` naming `what`. */
  until(what: string, predicate: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One read_committed consumer (fresh group, from the beginning) over several topics for a whole test
 * file: tests then poll what arrived instead of joining a new group per question, which costs seconds.
 * The topics must exist (the apps under test create theirs at start-up); it waits until each has a leader
 * in the broker's metadata before subscribing.
 */
export async function collectTopics(
  brokers: readonly string[],
  topics: readonly string[],
): Promise<TopicCollector> {
  const consumer: Consumer = newKafka(brokers, 'test-collector').consumer({
    groupId: uniqueName('test-collector'),
    maxWaitTimeInMs: 250,
  });
  const received = new Map<string, ReceivedMessage[]>(topics.map((t) => [t, []]));
  await waitForTopicLeaders(brokers, topics);
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      received.get(topic)?.push(toReceived(topic, partition, message));
    },
  });
  return {
    on: (topic) => received.get(topic) ?? [],
    async until(what, predicate, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`collectTopics: timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () => consumer.disconnect(),
  };
}
