import { delay, FAULT_TEST_TIMEOUT_MS, FaultHarness, seconds } from './fault-harness';

/**
 * Issue 6 §3: PostgreSQL is stopped for 30 s in the middle of a steady stream, then started again. The
 * audit writer's batches fail and back off (holding their partition: nothing is fetched meanwhile), the
 * ingest's history look-ups fail the same way, and Kafka keeps everything until the database is back:
 * afterwards every audit event is present exactly once and the hash chain verifies.
 */
describe('fault: PostgreSQL is stopped for 30 s mid-stream', () => {
  let harness: FaultHarness | undefined;

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'keeps every audit event exactly once and the chain verifies',
    async () => {
      harness = await FaultHarness.start({ name: 'postgres-stop', kafkaBasePort: 11096, postgresPort: 5462 });
      const workload = await harness.startWorkload({ good: 2000, bad: 20, perSecond: 150 });
      await workload.reached(500);
      const stoppedAt = Date.now();
      await harness.postgres.stop();
      await delay(30_000);
      await harness.postgres.start();
      const downMs = Date.now() - stoppedAt;
      const quietAt = await harness.waitForQuiescence(workload);
      const counts = await harness.count(workload);
      harness.report('PostgreSQL stopped for 30 s', counts, {
        databaseDown: seconds(downMs),
        recovered: seconds(quietAt - stoppedAt),
      });
      expect(harness.problems(counts)).toEqual([]);
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});
