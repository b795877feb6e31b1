import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditStages } from '@hub/audit';
import { repoRoot } from '@hub/devstack';
import type { RoutingConfig } from '@hub/routing';
import { delay, FAULT_TEST_TIMEOUT_MS, FaultHarness, seconds } from './fault-harness';

const NAME = 'http-ssc';
const WEBHOOK = 'ssc-finance-webhook';
/** Below the simulator's "slow" delay in the middle phase, so those requests time out at the hub. */
const RESPONSE_TIMEOUT_MS = 1_000;

/**
 * Issue 6 §3: an SSC HTTP endpoint fails (503) and then is slow, 30 s in all, and the delivery worker is
 * killed (kill -9) and restarted in the last phase, while spend records flow
 * to it (through the router and the delivery worker) and to ssc.finance on Kafka. Phases: 10 s of 503;
 * 10 s answering after 2 s, beyond the hub's 1 s response timeout (the SSC processes requests the hub
 * has given up on); 10 s answering after 300 ms. The delivery worker holds records while the circuit is
 * open (no DLQ), retries, and re-sends with the same Idempotency-Key, so the SSC accepts every record
 * exactly once; whatever it sees again it recognises by the key.
 */
describe('fault: an SSC HTTP endpoint fails (503), then is slow, for 30 s; the delivery worker is killed', () => {
  let harness: FaultHarness | undefined;

  afterAll(async () => {
    await harness?.stop();
  });

  it(
    'delivers every record exactly once as the SSC sees it',
    async () => {
      const routesFile = join(FaultHarness.logDirFor(NAME), 'routes.json');
      harness = await FaultHarness.start({
        name: NAME,
        kafkaBasePort: 11098,
        postgresPort: 5463,
        apps: ['audit-writer', 'ingest', 'ssc-simulator'],
        env: { ROUTES_FILE: routesFile },
        routesPerRecord: 2,
        // One event per failed HTTP attempt; never delivery_failed (nothing may be dead-lettered).
        allowedExtraStages: [AuditStages.DELIVERY_ATTEMPTED],
      });
      const ssc = harness.stack.url('ssc-simulator');
      writeFileSync(routesFile, JSON.stringify(routesTo(`${ssc}/ssc/finance`), null, 2));
      await harness.startApps(['router', 'delivery']);
      harness.httpReceipts = async () => {
        const summary = (await (await fetch(`${ssc}/ssc/received?service=finance`)).json()) as {
          count: number;
          unique: number;
        };
        return { distinct: summary.unique, total: summary.count };
      };
      const control = async (body: Record<string, unknown>) => {
        const response = await fetch(`${ssc}/ssc/control`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ service: 'finance', ...body }),
        });
        expect(response.status).toBe(200);
        harness!.progress(`ssc: ${JSON.stringify(body)}`);
      };

      const workload = await harness.startWorkload({ good: 2000, bad: 20, perSecond: 150 });
      await workload.reached(300);
      const faultAt = Date.now();
      await control({ mode: 'fail', status: 503, forMs: 10_000 });
      await delay(10_000);
      await control({ mode: 'slow', delayMs: 2_000, forMs: 10_000 });
      await delay(10_000);
      await control({ mode: 'slow', delayMs: 300, forMs: 10_000 });
      // The delivery worker is killed (kill -9) mid-batch too: HTTP calls made, their transaction not
      // committed. Its restart fences the dead instance's transaction and sends those records again with
      // the same Idempotency-Key; the SSC still counts each once.
      await delay(3_000);
      const delivery = harness.stack.get('delivery');
      await delivery.kill();
      harness.progress('delivery killed (kill -9)');
      await delay(1_000);
      const restarted = delivery.start();
      await delay(6_000);
      await restarted;
      harness.progress('delivery restarted');
      const quietAt = await harness.waitForQuiescence(workload, 180_000);
      const counts = await harness.count(workload);
      const receipts = (await (await fetch(`${ssc}/ssc/received?service=finance`)).json()) as {
        refused: number;
        duplicates: number;
      };
      harness.report('SSC endpoint 503 then slow for 30 s', counts, {
        refusedBySsc: receipts.refused,
        resentAndDeduplicatedBySsc: receipts.duplicates,
        attemptsAudited: counts.audit[AuditStages.DELIVERY_ATTEMPTED]?.distinct ?? 0,
        recovered: seconds(quietAt - faultAt),
      });
      expect(harness.problems(counts)).toEqual([]);
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});

/**
 * The stock routing table's finance agreement and Kafka destination, plus a webhook at the simulator:
 * every spend record goes both ways.
 */
function routesTo(url: string): RoutingConfig {
  const stock = JSON.parse(readFileSync(join(repoRoot(), 'config', 'routing.json'), 'utf8')) as RoutingConfig;
  const agreement = stock.agreements.find((a) => a.recordTypes.includes('finance.spend'))!;
  return {
    agreements: [agreement],
    destinations: [
      { id: 'ssc-finance', kind: 'kafka', service: 'finance' },
      { id: WEBHOOK, kind: 'http', url, connectTimeoutMs: 1_000, responseTimeoutMs: RESPONSE_TIMEOUT_MS },
    ],
    routes: [
      {
        id: 'spend-to-ledger',
        match: { entity: 'finance.spend' },
        destination: 'ssc-finance',
        agreement: agreement.id,
      },
      {
        id: 'spend-to-webhook',
        match: { entity: 'finance.spend' },
        destination: WEBHOOK,
        agreement: agreement.id,
      },
    ],
  };
}
