import { delay, FAULT_TEST_TIMEOUT_MS, FaultHarness, seconds } from './fault-harness';

/**
 * Issue 6 §3: the (single) broker is killed with kill -9 in the middle of a steady stream and restarted.
 * Every app loses its connections, open transactions are aborted by the restarted broker, and every
 * record still ends exactly once in canonical or the DLQ, in ssc.finance and in the audit log.
 */
describe('fault: the broker is killed (kill -9) mid-stream and restarted', () => {
  let harness: FaultHarness | undefined;

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'loses nothing and doubles nothing',
    async () => {
      harness = await FaultHarness.start({ name: 'broker-kill', kafkaBasePort: 11092, postgresPort: 5460 });
      const workload = await harness.startWorkload({ good: 2000, bad: 20, perSecond: 150 });
      await workload.reached(700);
      const killedAt = Date.now();
      await harness.kafka.killNode(1);
      await delay(3_000);
      await harness.kafka.restartNode(1);
      const downMs = Date.now() - killedAt;
      const quietAt = await harness.waitForQuiescence(workload);
      const counts = await harness.count(workload);
      harness.report('broker killed and restarted', counts, {
        brokerDown: seconds(downMs),
        recovered: seconds(quietAt - killedAt),
        producerRetries: workload.sendRetries,
      });
      expect(harness.problems(counts)).toEqual([]);
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});
