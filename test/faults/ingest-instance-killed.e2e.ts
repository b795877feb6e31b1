import { delay, FAULT_TEST_TIMEOUT_MS, FaultHarness, seconds } from './fault-harness';

const GROUP = 'hub-ingest';

/**
 * Issue 6 §3: two ingest instances share the consumer group (distinct instance ids, so distinct
 * transactional ids: kafkajs has no KIP-447 fencing). One is killed with kill -9 mid-stream and not
 * restarted: once the group expires it (session timeout), the survivor takes over its partitions and
 * re-processes from the committed offsets; the dead instance's open transaction is aborted by the
 * broker's transaction timeout, so read-committed consumers never see it.
 */
describe('fault: one of two ingest instances is killed mid-stream', () => {
  let harness: FaultHarness | undefined;

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'hands its partitions to the survivor; nothing lost or doubled',
    async () => {
      harness = await FaultHarness.start({
        name: 'ingest-failover',
        kafkaBasePort: 11100,
        postgresPort: 5465,
        apps: ['audit-writer', 'router'],
      });
      await Promise.all([harness.stack.startApp('ingest', 'i1'), harness.stack.startApp('ingest', 'i2')]);
      const survivor = 'ingest-ingest-i1';
      const victim = 'ingest-ingest-i2';
      const before = await waitForAssignment(
        harness,
        (a) => (a.get(survivor)?.length ?? 0) > 0 && (a.get(victim)?.length ?? 0) > 0,
      );
      const workload = await harness.startWorkload({ good: 2000, bad: 20, perSecond: 150 });
      await workload.reached(500);
      const killedAt = Date.now();
      await harness.stack.get('ingest-i2').kill();
      const after = await waitForAssignment(
        harness,
        (a) => a.size === 1 && (a.get(survivor)?.length ?? 0) === 3,
      );
      const takeoverMs = Date.now() - killedAt;
      const quietAt = await harness.waitForQuiescence(workload);
      const counts = await harness.count(workload);
      const describe = (a: Map<string, number[]>) =>
        [...a].map(([m, p]) => `${m.replace('ingest-ingest-', '')}[${p.join(',')}]`).join(' ');
      harness.report('one of two ingest instances killed', counts, {
        before: describe(before),
        after: describe(after),
        takeover: seconds(takeoverMs),
        recovered: seconds(quietAt - killedAt),
      });
      expect(before.get(survivor)?.length).toBeGreaterThan(0);
      expect(before.get(victim)?.length).toBeGreaterThan(0);
      expect([...after.keys()]).toEqual([survivor]);
      expect(after.get(survivor)).toEqual([0, 1, 2]);
      expect(harness.problems(counts)).toEqual([]);
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});

/** Polls the group's assignment of the council topic until `done` holds (or 90 s pass); returns the last seen. */
async function waitForAssignment(
  harness: FaultHarness,
  done: (a: Map<string, number[]>) => boolean,
): Promise<Map<string, number[]>> {
  const deadline = Date.now() + 90_000;
  let last = new Map<string, number[]>();
  while (Date.now() < deadline) {
    last = await harness.assignments(GROUP, harness.councilTopic).catch(() => last);
    for (const [member, partitions] of last)
      last.set(
        member,
        [...partitions].sort((a, b) => a - b),
      );
    if (done(last)) return last;
    await delay(500);
  }
  return last;
}
