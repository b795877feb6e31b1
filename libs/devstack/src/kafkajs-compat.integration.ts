/**
 * Proves kafkajs 2.2.4 (the client @nestjs/microservices uses, unmaintained since 2023) works with the
 * Kafka version the project pins (KAFKA_VERSION), for every feature the hub relies on: admin, idempotent
 * produce, consumer groups, and exactly-once consume-transform-produce with transactions. If a Kafka
 * upgrade drops a protocol version kafkajs needs, this file fails first.
 *
 * Runs against the broker the integration project's global setup started (KAFKA_BROKERS).
 */
import { EachBatchPayload, Kafka, Partitioners, Producer } from 'kafkajs';
import { createTopics, newKafka, testStack, uniqueName, waitForMessages } from '@hub/testing';
import { KAFKA_VERSION } from '@hub/devstack';

const text = (buffer: Buffer | null): string => buffer?.toString('utf8') ?? '';

describe(`kafkajs 2.2.4 against the pinned Kafka (${KAFKA_VERSION})`, () => {
  const { brokers } = testStack();
  let kafka: Kafka;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(() => {
    kafka = newKafka(brokers, 'kafkajs-compat');
  });

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  /** A transactional producer set up the way the hub's batch consumer uses one. */
  async function transactionalProducer(): Promise<Producer> {
    const producer = kafka.producer({
      transactionalId: uniqueName('compat-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    return producer;
  }

  it('admin creates topics with the requested partitions and lists them', async () => {
    const topics = [uniqueName('compat.admin.a'), uniqueName('compat.admin.b')];
    await createTopics(brokers, topics, 3);

    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const metadata = await admin.fetchTopicMetadata({ topics });
    expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
      topics.map((t) => [t, 3]).sort(),
    );
    expect(metadata.topics.flatMap((t) => t.partitions).every((p) => p.leader >= 0)).toBe(true);
    expect(await admin.listTopics()).toEqual(expect.arrayContaining(topics));
  });

  it('an idempotent producer writes to all partitions and a consumer group joins, reads everything and commits', async () => {
    const topic = uniqueName('compat.produce');
    await createTopics(brokers, [topic], 3);
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    cleanups.push(() => producer.disconnect());

    const messages = Array.from({ length: 30 }, (_, i) => ({
      key: `record-${i % 10}`,
      value: `value-${i}`,
      headers: { ce_id: `event-${i}`, ce_specversion: '1.0' },
    }));
    const metadata = await producer.send({ topic, messages });
    expect(metadata.every((m) => m.errorCode === 0)).toBe(true);

    const groupId = uniqueName('compat-group');
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
    const joined = new Promise<{ isLeader: boolean; assigned: number[] }>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        resolve({
          isLeader: payload.isLeader,
          assigned: [...(payload.memberAssignment[topic] ?? [])].sort(),
        }),
      );
    });
    const received: Array<{ key: string; value: string; partition: number; ceId: string }> = [];
    let allReceived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allReceived = resolve));
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({
          key: text(message.key),
          value: text(message.value),
          partition,
          ceId: String(message.headers?.ce_id),
        });
        if (received.length === messages.length) allReceived();
      },
    });

    expect(await joined).toEqual({ isLeader: true, assigned: [0, 1, 2] });
    await done;
    expect(received.map((r) => r.value).sort()).toEqual(messages.map((m) => m.value).sort());
    expect(received.find((r) => r.value === 'value-7')?.ceId).toBe('event-7');
    // Same key, same partition: per-record ordering in the hub depends on it.
    const partitionsByKey = new Map<string, Set<number>>();
    for (const r of received)
      partitionsByKey.set(r.key, (partitionsByKey.get(r.key) ?? new Set()).add(r.partition));
    expect([...partitionsByKey.values()].every((partitions) => partitions.size === 1)).toBe(true);
    expect(new Set(received.map((r) => r.partition)).size).toBeGreaterThan(1);

    await consumer.disconnect(); // commits what was consumed
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(messages.length);
  });

  it('consume-transform-produce commits outputs and input offsets in one transaction (sendOffsets) that read_committed consumers see', async () => {
    const input = uniqueName('compat.eos.in');
    const output = uniqueName('compat.eos.out');
    await createTopics(brokers, [input, output], 1);
    const plain = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await plain.connect();
    cleanups.push(() => plain.disconnect());
    await plain.send({
      topic: input,
      messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `msg-${i}` })),
    });

    const producer = await transactionalProducer();
    const groupId = uniqueName('compat-eos');
    const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 250 });
    let processed = 0;
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: input, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }: EachBatchPayload) => {
        const transaction = await producer.transaction();
        try {
          await transaction.send({
            topic: output,
            messages: batch.messages.map((m) => ({ key: m.key, value: text(m.value).toUpperCase() })),
          });
          await transaction.sendOffsets({
            consumerGroupId: groupId,
            topics: [
              {
                topic: batch.topic,
                partitions: [
                  { partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() },
                ],
              },
            ],
          });
          await transaction.commit();
        } catch (error) {
          await transaction.abort();
          throw error;
        }
        processed += batch.messages.length;
        if (processed >= 5) finished();
      },
    });
    await done;

    const outputs = await waitForMessages(brokers, output, 5, { isolationLevel: 'read_committed' });
    expect(outputs.map((m) => text(m.value))).toEqual(['MSG-0', 'MSG-1', 'MSG-2', 'MSG-3', 'MSG-4']);
    expect(outputs.map((m) => text(m.key))).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);

    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '5' })]);
  });

  it('an aborted transaction is invisible to read_committed consumers and visible to read_uncommitted ones', async () => {
    const topic = uniqueName('compat.abort');
    await createTopics(brokers, [topic], 1);
    const producer = await transactionalProducer();

    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({
      topic,
      messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }, { value: 'aborted-3' }],
    });
    await aborted.abort();
    // Committed after the aborted records on the same partition: a read_committed consumer that sees this
    // one has read past the aborted ones, so their absence is proven without waiting for a timeout.
    const after = await producer.transaction();
    await after.send({ topic, messages: [{ value: 'after-abort' }] });
    await after.commit();

    const readCommitted = await waitForMessages(brokers, topic, 3, {
      isolationLevel: 'read_committed',
      settleMs: 500,
    });
    expect(readCommitted.map((m) => text(m.value))).toEqual(['committed-1', 'committed-2', 'after-abort']);
    // Offsets 2 and 6 are the commit and abort markers; 3-5 the aborted records.
    expect(readCommitted.map((m) => m.offset)).toEqual(['0', '1', '7']);

    const readUncommitted = await waitForMessages(brokers, topic, 6, {
      isolationLevel: 'read_uncommitted',
      settleMs: 500,
    });
    expect(readUncommitted.map((m) => text(m.value))).toEqual([
      'committed-1',
      'committed-2',
      'aborted-1',
      'aborted-2',
      'aborted-3',
      'after-abort',
    ]);
  });
});
