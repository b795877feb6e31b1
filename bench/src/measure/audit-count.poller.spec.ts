import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { AuditCountPoller } from './audit-count.poller';

/** An audit writer's /metrics whose delivered counter the test sets. */
async function fakeWriter(): Promise<{
  url: string;
  delivered: { value: number };
  close: () => Promise<void>;
}> {
  const delivered = { value: 0 };
  const server: Server = createServer((_request, response) => {
    response.end(
      [
        '# TYPE hub_audit_events_written_total counter',
        `hub_audit_events_written_total{stage="received"} ${delivered.value * 2}`,
        `hub_audit_events_written_total{stage="delivered"} ${delivered.value}`,
        '',
      ].join('\n'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delivered,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A pool whose count(*) answers `rows.value`, counting the queries. */
function fakePool(rows: { value: number }): { pool: Pool; queries: () => number } {
  let queries = 0;
  const pool = {
    query: async () => {
      queries += 1;
      return { rows: [{ n: String(rows.value) }] };
    },
  } as unknown as Pool;
  return { pool, queries: () => queries };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((r) => setTimeout(r, 20));
};

describe('AuditCountPoller', () => {
  let writer: Awaited<ReturnType<typeof fakeWriter>>;
  let poller: AuditCountPoller | undefined;

  beforeEach(async () => {
    writer = await fakeWriter();
  });

  afterEach(async () => {
    poller?.stop();
    await writer.close();
  });

  it("follows the writer's delivered counter and asks Postgres only to start and to confirm", async () => {
    writer.delivered.value = 40;
    const rows = { value: 40 };
    const { pool, queries } = fakePool(rows);
    poller = new AuditCountPoller(pool, 's', () => [writer.url]);
    await poller.start(100);
    expect(poller.source).toBe('writer metrics');
    writer.delivered.value = 90;
    await until(() => poller!.count === 50);
    expect(poller.count).toBe(50);
    // The counter reaches the target before Postgres shows the rows: not reached until it does.
    writer.delivered.value = 140;
    await until(() => poller!.count === 100);
    await new Promise((r) => setTimeout(r, 250));
    expect(poller.reachedAtMs).toBeUndefined();
    rows.value = 140;
    expect(await poller.waitForTarget(2_000)).toBeGreaterThan(0);
    // One count to start, then one per confirmation attempt near the target; none while following the counter.
    expect(queries()).toBeLessThan(8);
    expect([...poller.perSecond.values()].reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('counts in Postgres when a writer restarts and its counter starts again, or when there is no writer', async () => {
    writer.delivered.value = 500;
    const rows = { value: 500 };
    const { pool, queries } = fakePool(rows);
    poller = new AuditCountPoller(pool, 's', () => [writer.url]);
    await poller.start(30);
    writer.delivered.value = 3;
    rows.value = 520;
    await until(() => poller!.source === 'postgres' && poller!.count === 20);
    expect(poller.count).toBe(20);
    rows.value = 530;
    expect(await poller.waitForTarget(2_000)).toBeGreaterThan(0);
    expect(queries()).toBeGreaterThan(2);

    poller.stop();
    const alone = new AuditCountPoller(pool, 's');
    await alone.start(1);
    expect(alone.source).toBe('postgres');
    alone.stop();
  });
});
