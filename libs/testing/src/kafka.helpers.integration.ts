/**
 * The test helpers other tests stand on, against the real broker: if `collectTopics` subscribed before a
 * just-created topic had a leader, e2e tests failed at random with "This server does not host this
 * topic-partition" (CI, stop 12).
 */
import { collectTopics, newKafka, testStack, uniqueName, waitForTopicLeaders } from '@hub/testing';

describe('Kafka test helpers', () => {
  const { brokers } = testStack();

  it('waitForTopicLeaders returns once a topic created without waiting has a leader for every partition', async () => {
    const topic = uniqueName('helpers-leaders');
    const admin = newKafka(brokers, 'helpers-spec').admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: false });
      await waitForTopicLeaders(brokers, [topic]);
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics[0].partitions.map((p) => p.leader >= 0)).toEqual([true, true, true, true]);
    } finally {
      await admin.disconnect();
    }
  });

  it('waitForTopicLeaders names the topic that never appeared', async () => {
    const topic = uniqueName('helpers-missing');
    await expect(waitForTopicLeaders(brokers, [topic], 500)).rejects.toThrow(
      `no leader within 500 ms for ${topic}`,
    );
  });

  it('collectTopics sees what is published to a topic created a moment before', async () => {
    const topic = uniqueName('helpers-collect');
    const admin = newKafka(brokers, 'helpers-spec').admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: false });
    await admin.disconnect();
    const seen = await collectTopics(brokers, [topic]);
    const producer = newKafka(brokers, 'helpers-spec').producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ key: 'k', value: 'v', headers: { h: ['a', 'b'] } }] });
      await seen.until('one message', () => seen.on(topic).length === 1, 20_000);
      expect(seen.on(topic)[0]).toMatchObject({ topic, offset: '0', headers: { h: 'b' } });
      expect(seen.on(topic)[0].value?.toString()).toBe('v');
    } finally {
      await producer.disconnect();
      await seen.stop();
    }
  });
});
