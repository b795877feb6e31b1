import type { HubAppName } from '@hub/launcher';
import { delay, FAULT_TEST_TIMEOUT_MS, FaultHarness, seconds } from './fault-harness';

/**
 * Issue 6 §3: each hub app (ingest, router, audit-writer) is killed with kill -9 in the middle of a steady
 * stream and restarted with the same instance id. The kills are staggered through one stream so their
 * recoveries overlap (each waits for the group to expire the dead member, up to the 30 s session
 * timeout). A restarted transactional app fences its predecessor's open transaction; the audit writer
 * skips what its predecessor already stored, by the offsets kept with the rows.
 */
describe('fault: each hub app is killed (kill -9) mid-stream and restarted', () => {
  let harness: FaultHarness | undefined;

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'loses nothing and doubles nothing',
    async () => {
      harness = await FaultHarness.start({ name: 'app-kill', kafkaBasePort: 11094, postgresPort: 5461 });
      const workload = await harness.startWorkload({ good: 2400, bad: 24, perSecond: 120, aborted: 5 });
      const plan: Array<[HubAppName, number]> = [
        ['ingest', 400],
        ['router', 800],
        ['audit-writer', 1200],
      ];
      const restarts: Array<Promise<string>> = [];
      const firstKill = Date.now();
      for (const [app, at] of plan) {
        await workload.reached(at);
        const proc = harness.stack.get(app);
        await proc.kill();
        await delay(1_000);
        const started = Date.now();
        // Not awaited: a restarted app reports "started" only once it has joined its group, which waits
        // for the dead member to expire; the next kill goes ahead meanwhile, so recoveries overlap.
        restarts.push(proc.start().then(() => `${app}:${seconds(Date.now() - started)}`));
      }
      const restartTimes = await Promise.all(restarts);
      const quietAt = await harness.waitForQuiescence(workload);
      const counts = await harness.count(workload);
      harness.report('ingest, router, audit-writer killed and restarted', counts, {
        restartTimes: restartTimes.join(','),
        recovered: seconds(quietAt - firstKill),
      });
      expect(harness.problems(counts)).toEqual([]);
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});
