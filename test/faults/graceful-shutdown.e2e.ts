import type { HubAppName } from '@hub/launcher';
import { FAULT_TEST_TIMEOUT_MS, FaultHarness, seconds } from './fault-harness';

/**
 * Issue 6 §6: SIGTERM under load. Each app (ingest, router, audit-writer in turn) must finish or abort
 * its in-flight transaction, leave its consumer group and exit with code 0 within 10 s; restarted, it
 * continues from its committed offsets, and the counts stay exact.
 */
describe('graceful shutdown: SIGTERM each app under load', () => {
  let harness: FaultHarness | undefined;

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'exits 0 within 10 s and a restart continues where it stopped',
    async () => {
      harness = await FaultHarness.start({ name: 'sigterm', kafkaBasePort: 11102, postgresPort: 5466 });
      const workload = await harness.startWorkload({ good: 2400, bad: 24, perSecond: 150, aborted: 5 });
      const plan: Array<[HubAppName, number]> = [
        ['ingest', 500],
        ['router', 1000],
        ['audit-writer', 1500],
      ];
      const stops: Array<{ app: HubAppName; code: number | null; ms: number }> = [];
      for (const [app, at] of plan) {
        await workload.reached(at);
        const proc = harness.stack.get(app);
        const started = Date.now();
        // 20 s before the launcher's SIGKILL: the app's own 10 s watchdog must act first.
        const code = await proc.stop(20_000);
        stops.push({ app, code, ms: Date.now() - started });
        await proc.start();
      }
      await harness.waitForQuiescence(workload);
      const counts = await harness.count(workload);
      harness.report('SIGTERM under load, then restart', counts, {
        stops: stops.map((s) => `${s.app}:code${s.code}/${seconds(s.ms)}`).join(','),
      });
      for (const s of stops) {
        expect({ app: s.app, code: s.code, withinTenSeconds: s.ms < 10_000 }).toEqual({
          app: s.app,
          code: 0,
          withinTenSeconds: true,
        });
      }
      expect(harness.problems(counts)).toEqual([]);
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});
