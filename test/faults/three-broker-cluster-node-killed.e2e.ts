import { FAULT_TEST_TIMEOUT_MS, FaultHarness, javaStringHash, retry, seconds } from './fault-harness';

/**
 * Issue 6 §3: a three-broker KRaft cluster (replication factor 3, min.insync.replicas 2; the apps create
 * their topics with TOPIC_REPLICATION=3) loses one broker to kill -9 in the middle of a steady stream and
 * runs on with two. The broker killed is the one coordinating the ingest's transactions, so the
 * coordinator itself fails over mid-transaction. It stays down until the counts are taken.
 */
describe('fault: one broker of a three-broker cluster is killed mid-stream', () => {
  let harness: FaultHarness | undefined;

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'loses nothing and doubles nothing',
    async () => {
      // Nodes on 11292, 21292 and 31292 (controllers on the next port up).
      harness = await FaultHarness.start({
        name: 'cluster',
        kafkaNodes: 3,
        kafkaBasePort: 1292,
        postgresPort: 5464,
      });
      const workload = await harness.startWorkload({ good: 2000, bad: 20, perSecond: 150 });
      await workload.reached(600);
      const victim = await transactionCoordinatorOf(harness, 'hub-ingest-ingest');
      const killedAt = Date.now();
      harness.progress(`killing broker ${victim} (coordinator of the ingest's transactions)`);
      await harness.kafka.killNode(victim);
      const quietAt = await harness.waitForQuiescence(workload);
      const counts = await harness.count(workload);
      harness.report('three-broker cluster, one broker killed', counts, {
        killedNode: victim,
        recovered: seconds(quietAt - killedAt),
        producerRetries: workload.sendRetries,
      });
      expect(harness.problems(counts)).toEqual([]);
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});

/**
 * The broker leading the `__transaction_state` partition of a transactional id: Kafka places the id on
 * partition abs(hashCode) % partitions (3 in the devstack), and that partition's leader coordinates it.
 */
async function transactionCoordinatorOf(harness: FaultHarness, transactionalId: string): Promise<number> {
  const admin = harness.client('fault-coordinator-lookup').admin();
  await admin.connect();
  try {
    const { topics } = await retry(30_000, () =>
      admin.fetchTopicMetadata({ topics: ['__transaction_state'] }),
    );
    const partitions = topics[0].partitions;
    const hash = javaStringHash(transactionalId);
    const index = (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions.length;
    return partitions.find((p) => p.partitionId === index)!.leader;
  } finally {
    await admin.disconnect();
  }
}
