/**
 * The batch runner against the real broker: several partitions commit in one transaction, a partition
 * whose handler fails is retried alone while the others move on, and every input ends on the output
 * topic exactly once for a read-committed reader.
 */
import { Kafka } from 'kafkajs';
import pino from 'pino';
import { createTopics, newKafka, testStack, uniqueName, waitForMessages } from '@hub/testing';
import { BatchConsumerRunner, InboundBatch } from './batch-consumer.runner';
import { OutboundMessage } from './kafka-message';

const PARTITIONS = 4;
const PER_PARTITION = 150;

describe('BatchConsumerRunner on a real broker', () => {
  const { brokers } = testStack();
  let kafka: Kafka;
  let runner: BatchConsumerRunner | undefined;

  beforeAll(() => {
    kafka = newKafka(brokers, 'runner-it');
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });

  /** PER_PARTITION records on each partition of a new topic, values `p<partition>-<n>`. */
  async function inputTopic(): Promise<string> {
    const topic = uniqueName('runner.in');
    await createTopics(brokers, [topic], PARTITIONS);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let p = 0; p < PARTITIONS; p += 1) {
      await producer.send({
        topic,
        messages: Array.from({ length: PER_PARTITION }, (_, n) => ({ partition: p, value: `p${p}-${n}` })),
      });
    }
    await producer.disconnect();
    return topic;
  }

  it('commits the partitions of a fetch together, retries a failing partition alone, and writes each record once', async () => {
    const input = await inputTopic();
    const output = uniqueName('runner.out');
    await createTopics(brokers, [output], 2);
    const transactions: number[] = [];
    const phases: Array<{ elapsedMs: number; phasesMs: Record<string, number> }> = [];
    const failed: InboundBatch[] = [];
    const prepared: number[][] = [];
    const requests = new Map<string, number>();
    let failuresLeft = 2;
    runner = new BatchConsumerRunner({
      kafka,
      groupId: uniqueName('runner-it'),
      topics: [input],
      logger: pino({ level: 'silent' }),
      // Small slices so each partition needs several transactions.
      maxRecordsPerTransaction: 40,
      mode: {
        kind: 'transactional',
        transactionalId: uniqueName('runner-it-tx'),
        // Sees each multi-partition transaction's slices first; its first call fails, which must not
        // fail any slice (it is only an optimisation).
        prepare: async (batches) => {
          prepared.push(batches.map((b) => b.partition));
          if (prepared.length === 1) throw new Error('prepare is only an optimisation');
        },
        handler: async (batch: InboundBatch): Promise<OutboundMessage[]> => {
          // Partition 2 fails its first two attempts: an infrastructure error in its handler only.
          if (batch.partition === 2 && failuresLeft > 0) {
            failuresLeft -= 1;
            throw new Error('partition 2 cannot be handled yet');
          }
          // Keyed by input partition: one input partition's records land on one output partition, in order.
          return batch.messages.map((m) => ({ topic: output, key: `p${batch.partition}`, value: m.value! }));
        },
      },
      onTransaction: ({ partitions, elapsedMs, phasesMs }) => {
        transactions.push(partitions);
        phases.push({ elapsedMs, phasesMs: { ...phasesMs } });
      },
      onFailed: (batch) => failed.push(batch),
      onKafkaRequest: (client, api) =>
        requests.set(`${client} ${api}`, (requests.get(`${client} ${api}`) ?? 0) + 1),
    });
    await runner.start();

    const received = await waitForMessages(brokers, output, PARTITIONS * PER_PARTITION, {
      timeoutMs: 60_000,
      settleMs: 2_000,
    });
    const values = received.map((m) => m.value!.toString());
    console.log(
      `runner: ${values.length} outputs of ${PARTITIONS * PER_PARTITION} inputs in ${transactions.length} transactions (partitions each: ${transactions.join(',')}); ${failed.length} failed slices; coordinator lookups ${requests.get('producer GroupCoordinator')} for ${requests.get('producer InitProducerId')} producer ids`,
    );
    expect(new Set(values).size).toBe(PARTITIONS * PER_PARTITION);
    expect(values).toHaveLength(PARTITIONS * PER_PARTITION);
    // Several partitions shared a transaction, and only partition 2 ever failed.
    expect(Math.max(...transactions)).toBeGreaterThan(1);
    expect(failed.map((b) => b.partition)).toEqual([2, 2]);
    // Every transaction of several partitions was prepared once, with its slices, before its handlers
    // (a group whose failing slice left one partition to commit was prepared too).
    const shared = transactions.filter((n) => n > 1).length;
    expect(prepared.length).toBeGreaterThanOrEqual(shared);
    expect(prepared.length).toBeLessThanOrEqual(shared + failed.length);
    expect(prepared.every((partitions) => partitions.length > 1)).toBe(true);
    // Each transaction says where its time went: four phases, none negative, together within its time.
    for (const { elapsedMs, phasesMs } of phases) {
      expect(Object.keys(phasesMs).sort()).toEqual(['commit', 'handle', 'offsets', 'produce']);
      expect(Math.min(...Object.values(phasesMs))).toBeGreaterThanOrEqual(0);
      expect(Object.values(phasesMs).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(elapsedMs);
    }
    expect(phases.some(({ phasesMs }) => phasesMs.produce > 0 || phasesMs.commit > 0)).toBe(true);
    // Every request the runner's clients sent was counted, by client and API: one EndTxn per transaction
    // (committed, or aborted for a failing slice, plus the empty one that initialises the producer).
    expect(requests.get('consumer Fetch')).toBeGreaterThan(0);
    expect(requests.get('producer Produce')).toBeGreaterThanOrEqual(transactions.length);
    expect(requests.get('producer EndTxn')).toBeGreaterThanOrEqual(transactions.length);
    expect(requests.get('producer TxnOffsetCommit')).toBeGreaterThanOrEqual(transactions.length);
    expect(requests.get('admin Metadata')).toBeGreaterThan(0);
    // Each producer looks its two coordinators (transaction, group) up once, not before every
    // AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit and EndTxn (the kafkajs patch), and keeps them
    // through CONCURRENT_TRANSACTIONS refusals after an abort (each producer sends two InitProducerIds:
    // idempotent, then transactional).
    expect(requests.get('producer GroupCoordinator')).toBeLessThanOrEqual(
      2 * requests.get('producer InitProducerId')!,
    );
    // Per-partition order is kept.
    for (let p = 0; p < PARTITIONS; p += 1) {
      const ofPartition = values.filter((v) => v.startsWith(`p${p}-`)).map((v) => Number(v.split('-')[1]));
      expect(ofPartition).toEqual(Array.from({ length: PER_PARTITION }, (_, n) => n));
    }
  });

  it('with one partition per commit, every transaction holds one partition', async () => {
    const input = await inputTopic();
    const output = uniqueName('runner.out');
    await createTopics(brokers, [output], 1);
    const transactions: number[] = [];
    runner = new BatchConsumerRunner({
      kafka,
      groupId: uniqueName('runner-it'),
      topics: [input],
      logger: pino({ level: 'silent' }),
      maxPartitionsPerCommit: 1,
      mode: {
        kind: 'transactional',
        transactionalId: uniqueName('runner-it-tx'),
        handler: async (batch) => batch.messages.map((m) => ({ topic: output, key: null, value: m.value! })),
      },
      onTransaction: ({ partitions }) => transactions.push(partitions),
    });
    await runner.start();
    await waitForMessages(brokers, output, PARTITIONS * PER_PARTITION, { timeoutMs: 60_000 });
    expect(transactions.length).toBeGreaterThanOrEqual(PARTITIONS);
    expect(new Set(transactions)).toEqual(new Set([1]));
  });

  it('with a fetch linger, records sent apart arrive in fewer batches (the audit writer: fewer Postgres commits)', async () => {
    /** Starts a commit-after runner on a new topic, sends 5 records 300 ms apart, answers the batch sizes. */
    const batchesOf = async (fetchLinger?: { minBytes: number; maxWaitMs: number }): Promise<number[]> => {
      const topic = uniqueName('runner.linger');
      await createTopics(brokers, [topic], 1);
      const batches: number[] = [];
      runner = new BatchConsumerRunner({
        kafka,
        groupId: uniqueName('runner-linger'),
        topics: [topic],
        logger: pino({ level: 'silent' }),
        fetchLinger,
        mode: { kind: 'commit-after', handler: async (batch) => void batches.push(batch.messages.length) },
      });
      await runner.start();
      await new Promise((r) => setTimeout(r, 3_000)); // joined, and fetching
      const producer = kafka.producer();
      await producer.connect();
      for (let n = 0; n < 5; n += 1) {
        await producer.send({ topic, messages: [{ value: `r${n}` }] });
        await new Promise((r) => setTimeout(r, 300));
      }
      await producer.disconnect();
      const deadline = Date.now() + 20_000;
      while (batches.reduce((a, b) => a + b, 0) < 5 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      await runner.stop();
      runner = undefined;
      return batches;
    };
    // Without a linger the broker answers a fetch as soon as a record is there: about one batch per record.
    const eager = await batchesOf();
    expect(eager.reduce((a, b) => a + b, 0)).toBe(5);
    expect(eager.length).toBeGreaterThanOrEqual(4);
    // With one it holds the fetch until the bytes are there or the wait is over: the 1.2 s of sending
    // falls into one fetch, or across the end of one and the next.
    const held = await batchesOf({ minBytes: 1_000_000, maxWaitMs: 4_000 });
    expect(held.reduce((a, b) => a + b, 0)).toBe(5);
    expect(held.length).toBeLessThanOrEqual(2);
  });
});
