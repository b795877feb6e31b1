import { installedKafkajsPatches } from './kafkajs-patch';

/**
 * The two kafkajs bugs patches/kafkajs+2.2.4.patch fixes, driven through kafkajs' own code; each test fails
 * on an unpatched kafkajs (checked by reverting the patch: `npx patch-package --reverse`).
 *
 * The send race: driven through kafkajs' own `sendMessages` with fake
 * brokers: one send to two leader brokers; broker 1's AddPartitionsToTxn is refused once with
 * CONCURRENT_TRANSACTIONS (retriable, as after every commit) while broker 2's produce is still in flight.
 * Unpatched, the retry re-sends to broker 2 before it has answered, with the next sequence numbers:
 * broker 2 appends its partition twice. Patched, the retry waits, and each broker writes once.
 */
// kafkajs' internals have no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createSendMessages = require('kafkajs/src/producer/sendMessages') as (
  deps: unknown,
) => (args: unknown) => Promise<unknown[]>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createRetry = require('kafkajs/src/retry') as (options: unknown) => unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages') as <
  M extends { offset: string; key: Buffer },
>(args: {
  messages: M[];
  abortedTransactions: Array<{ producerId: string; firstOffset: string }>;
}) => M[];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode: (code: number) => Error;
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { KafkaJSConnectionError } = require('kafkajs/src/errors') as {
  KafkaJSConnectionError: new (message: string) => Error;
};

const CONCURRENT_TRANSACTIONS = 51;

describe('the installed kafkajs', () => {
  it('carries every patch: the two fixes (multi-partition requests, no aborted records) and the three speed-ups', () => {
    expect(installedKafkajsPatches()).toEqual({
      sendWaitsForEveryBroker: true,
      abortedTransactionsSorted: true,
      coordinatorsRemembered: true,
      recordsEncodedInPlace: true,
      nativeCrc32c: true,
    });
  });
});

describe('kafkajs read_committed filter (patched consumer/filterAbortedMessages.js)', () => {
  const record = (offset: number, producerId: string, control = false) => ({
    offset: String(offset),
    key: control ? Buffer.from([0, 0, 0, 0]) : Buffer.from(`k${offset}`),
    batchContext: { producerId, inTransaction: true },
  });

  it('drops a transaction that began first but was aborted last (the broker lists aborts in abort order)', () => {
    // As the three-broker fault test left hub.audit.v1: the router's transaction (producer 2) wrote
    // offsets 25-26, the ingest's (producer 3) offset 27; the ingest's abort marker (28) came before the
    // router's (29), and the broker listed the aborted transactions in that order.
    const messages = [
      record(24, '1'),
      record(25, '2'),
      record(26, '2'),
      record(27, '3'),
      record(28, '3', true),
      record(29, '2', true),
      record(30, '1'),
    ];
    const kept = filterAbortedMessages({
      messages,
      abortedTransactions: [
        { producerId: '3', firstOffset: '27' },
        { producerId: '2', firstOffset: '25' },
      ],
    });
    expect(kept.filter((m) => !m.key.equals(Buffer.from([0, 0, 0, 0]))).map((m) => m.offset)).toEqual([
      '24',
      '30',
    ]);
  });

  it('drops every aborted transaction begun before a fetch that starts in the middle of them', () => {
    // Listed in first-offset order; both began before offset 10, where this fetch starts.
    const messages = [
      record(10, '3'),
      record(11, '2'),
      record(12, '3', true),
      record(13, '2', true),
      record(14, '1'),
    ];
    const kept = filterAbortedMessages({
      messages,
      abortedTransactions: [
        { producerId: '2', firstOffset: '3' },
        { producerId: '3', firstOffset: '4' },
      ],
    });
    expect(kept.filter((m) => !m.key.equals(Buffer.from([0, 0, 0, 0]))).map((m) => m.offset)).toEqual(['14']);
  });
});

describe('kafkajs multi-broker send (patched producer/sendMessages.js)', () => {
  it('does not re-send to a broker whose request was still in flight when another broker failed', async () => {
    const produced: Array<{ nodeId: number; partition: number; firstSequence: number }> = [];
    const sequences = new Map<string, number>();
    let addPartitionsCalls = 0;
    const brokerLocks = new Map<number, Promise<void>>();
    const releases = new Map<number, () => void>();
    const broker = (nodeId: number, produceMs: number) => ({
      nodeId,
      produce: async ({
        topicData,
      }: {
        topicData: Array<{ topic: string; partitions: Array<{ partition: number; firstSequence: number }> }>;
      }) => {
        await delay(produceMs);
        for (const t of topicData)
          for (const p of t.partitions)
            produced.push({ nodeId, partition: p.partition, firstSequence: p.firstSequence });
        return {
          topics: topicData.map((t) => ({
            topicName: t.topic,
            partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: 0, baseOffset: '0' })),
          })),
        };
      },
    });
    const brokers = new Map([
      [1, broker(1, 1)],
      [2, broker(2, 60)],
    ]);
    const leaders: Record<number, number> = { 0: 1, 1: 2 };
    const cluster = {
      refreshMetadataIfNecessary: async () => undefined,
      refreshMetadata: async () => undefined,
      addMultipleTargetTopics: async () => undefined,
      isConnected: () => true,
      removeBroker: () => undefined,
      findTopicPartitionMetadata: () => [
        { partitionId: 0, leader: 1 },
        { partitionId: 1, leader: 2 },
      ],
      findLeaderForPartitions: (_topic: string, partitions: string[]) => {
        const result: Record<number, number[]> = {};
        for (const p of partitions.map(Number)) (result[leaders[p]] ??= []).push(p);
        return result;
      },
      findBroker: async ({ nodeId }: { nodeId: string | number }) => brokers.get(Number(nodeId)),
    };
    const eosManager = {
      isTransactional: () => true,
      getTransactionalId: () => 'tx',
      getProducerId: () => 1,
      getProducerEpoch: () => 0,
      acquireBrokerLock: async ({ nodeId }: { nodeId: number }) => {
        while (brokerLocks.has(nodeId)) await brokerLocks.get(nodeId);
        brokerLocks.set(nodeId, new Promise<void>((resolve) => releases.set(nodeId, resolve)));
      },
      releaseBrokerLock: ({ nodeId }: { nodeId: number }) => {
        brokerLocks.delete(nodeId);
        releases.get(nodeId)?.();
      },
      addPartitionsToTransaction: async (topicData: Array<{ partitions: Array<{ partition: number }> }>) => {
        addPartitionsCalls += 1;
        // Broker 1's partition is refused the first time, as the coordinator does right after a commit.
        if (addPartitionsCalls === 1 && topicData[0].partitions[0].partition === 0)
          throw createErrorFromCode(CONCURRENT_TRANSACTIONS);
      },
      getSequence: (topic: string, partition: number) => sequences.get(`${topic}:${partition}`) ?? 0,
      updateSequence: (topic: string, partition: number, increment: number) =>
        sequences.set(`${topic}:${partition}`, (sequences.get(`${topic}:${partition}`) ?? 0) + increment),
    };
    const logger = {
      debug: () => undefined,
      error: () => undefined,
      warn: () => undefined,
      info: () => undefined,
    };
    const sendMessages = createSendMessages({
      logger,
      cluster,
      eosManager,
      partitioner: ({ message }: { message: { partition: number } }) => message.partition,
      retrier: createRetry({ initialRetryTime: 5, retries: 5 }),
    });

    const answer = await sendMessages({
      acks: -1,
      timeout: 1000,
      topicMessages: [
        {
          topic: 'canonical',
          messages: [
            { partition: 0, value: 'a' },
            { partition: 1, value: 'b' },
          ],
        },
      ],
    });

    expect(produced.filter((p) => p.partition === 1)).toEqual([
      { nodeId: 2, partition: 1, firstSequence: 0 },
    ]);
    expect(produced.filter((p) => p.partition === 0)).toEqual([
      { nodeId: 1, partition: 0, firstSequence: 0 },
    ]);
    expect(answer).toHaveLength(2);
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('kafkajs transaction coordinators (patched producer/eosManager)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const createEosManager = require('kafkajs/src/producer/eosManager') as (deps: unknown) => {
    initProducerId(): Promise<void>;
    beginTransaction(): void;
    addPartitionsToTransaction(topicData: unknown[]): Promise<void>;
    sendOffsets(args: unknown): Promise<void>;
    commit(): Promise<void>;
  };

  /** A one-broker cluster whose coordinator lookups and requests are recorded; `failNextAddOffsets` fails one AddOffsetsToTxn with that error. */
  function fakeCluster() {
    const lookups: string[] = [];
    const sent: string[] = [];
    const state: { failNextAddOffsets?: Error } = {};
    const broker = {
      nodeId: 1,
      initProducerId: async () => ({ producerId: 7, producerEpoch: 0 }),
      addPartitionsToTxn: async () => void sent.push('AddPartitionsToTxn'),
      addOffsetsToTxn: async () => {
        sent.push('AddOffsetsToTxn');
        const failure = state.failNextAddOffsets;
        state.failNextAddOffsets = undefined;
        if (failure) throw failure;
      },
      txnOffsetCommit: async () => void sent.push('TxnOffsetCommit'),
      endTxn: async () => void sent.push('EndTxn'),
    };
    const cluster = {
      retry: { retries: 0 },
      refreshMetadataIfNecessary: async () => undefined,
      findBroker: async () => broker,
      findGroupCoordinator: async ({ coordinatorType }: { coordinatorType: number }) => {
        lookups.push(coordinatorType === 1 ? 'transaction' : 'group');
        return broker;
      },
    };
    const eos = createEosManager({
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
      cluster,
      transactional: true,
      transactionalId: 'tx-1',
    });
    async function transaction() {
      eos.beginTransaction();
      await eos.addPartitionsToTransaction([{ topic: 'canonical', partitions: [{ partition: 0 }] }]);
      await eos.sendOffsets({ consumerGroupId: 'ingest', topics: [{ topic: 'council', partitions: [] }] });
      await eos.commit();
    }
    return { eos, lookups, sent, state, transaction };
  }

  const COORDINATOR_NOT_AVAILABLE = 15;
  const NOT_COORDINATOR = 16;

  it('looks each coordinator up once for many transactions, not before every request', async () => {
    const { eos, lookups, sent, transaction } = fakeCluster();
    await eos.initProducerId();
    for (let i = 0; i < 5; i += 1) await transaction();
    expect(sent.filter((r) => r === 'EndTxn')).toHaveLength(5);
    // Unpatched: one transaction lookup for the id, then 3 + 1 group lookup in each of the 5 transactions.
    expect(lookups).toEqual(['transaction', 'group']);
  });

  it.each([
    ['NOT_COORDINATOR_FOR_GROUP', () => createErrorFromCode(NOT_COORDINATOR), /not the correct coordinator/i],
    [
      'GROUP_COORDINATOR_NOT_AVAILABLE',
      () => createErrorFromCode(COORDINATOR_NOT_AVAILABLE),
      /not available/i,
    ],
    ['a connection error', () => new KafkaJSConnectionError('Connection timeout'), /connection timeout/i],
  ])('looks the transaction coordinator up again after %s from it', async (_name, error, message) => {
    const { eos, lookups, state, transaction } = fakeCluster();
    await eos.initProducerId();
    await transaction();
    state.failNextAddOffsets = error();
    await expect(transaction()).rejects.toThrow(message);
    expect(lookups).toEqual(['transaction', 'group']);
    // The transaction is still open; ending it goes to a coordinator found afresh.
    await eos.commit();
    expect(lookups).toEqual(['transaction', 'group', 'transaction']);
  });

  it('keeps the coordinator after an error it answered with itself (CONCURRENT_TRANSACTIONS after an abort)', async () => {
    const { eos, lookups, state, transaction } = fakeCluster();
    await eos.initProducerId();
    await transaction();
    state.failNextAddOffsets = createErrorFromCode(CONCURRENT_TRANSACTIONS);
    await expect(transaction()).rejects.toThrow(/concurrent operation/i);
    await eos.commit();
    await transaction();
    // The coordinator answered, so it is still the coordinator: no lookup beyond the first two.
    expect(lookups).toEqual(['transaction', 'group']);
  });
});
