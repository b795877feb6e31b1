import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { repoRoot } from '@hub/config';
import { HubStack, ensureLocalTokens, tokenFor } from '@hub/launcher';
import { migrate } from '@hub/persistence';
import { TopicNames, cloudEventHeaders } from '@hub/platform';
import { createSchema, newProducer, TestSchema, testStack, uniqueName } from '@hub/testing';

/**
 * An operator watches feed health in the dashboard, in a real (headless) Chromium against a running hub
 * (audit writer, ingest, router, console as processes). Coventry's finance feed shows ok with its
 * records; bad records turn its tile to failing without a reload; the dead letters are listed with
 * their reasons and an ops token replays one (a second replay of it is skipped); an auditor is offered
 * no replay and finds the replay in the record's lineage. Screenshots go to test-artifacts/screenshots/.
 *
 * Chromium is Debian's package, installed on first run by scripts/ensure-chromium.sh (a no-op once it is there).
 */

/** Stated time: a feed turns to failing on the dashboard within this long of its bad records being published. */
const FAILING_WITHIN_MS = 30_000;
/** How long a good record may take to show on the dashboard (ingest, audit writer, 2 s cache, 3 s stream). */
const SHOWS_WITHIN_MS = 30_000;

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('an operator watches feed health on the dashboard', () => {
  const { brokers, databaseUrl } = testStack();
  const namespace = `${uniqueName('ops').replace(/[^a-z0-9-]/g, '')}.`;
  const topics = new TopicNames(namespace);
  const screenshots = join(repoRoot(), 'test-artifacts', 'screenshots');
  const badIds: string[] = [];
  let schema: TestSchema;
  let stack: HubStack;
  let producer: Producer;
  let browser: Browser;
  let opsContext: BrowserContext;
  let ops: Page;
  let tokens: { ops: string; auditor: string; solihull: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Idempotent: returns at once when /usr/bin/chromium exists, else apt-get installs it (we run as root in CI).
    execFileSync('sh', [join(repoRoot(), 'scripts', 'ensure-chromium.sh')], {
      stdio: 'inherit',
      timeout: 600_000,
    });
    mkdirSync(screenshots, { recursive: true });

    schema = await createSchema(databaseUrl, 'ops');
    await migrate(databaseUrl, schema.name);
    const dir = mkdtempSync(join(tmpdir(), 'hub-ops-'));
    const local = ensureLocalTokens(join(dir, 'tokens.json'));
    tokens = {
      ops: tokenFor(local, 'ops'),
      auditor: tokenFor(local, 'auditor'),
      solihull: tokenFor(local, 'council:solihull'),
    };
    stack = new HubStack({
      brokers,
      databaseUrl,
      namespace,
      schema: schema.name,
      tokensFile: join(dir, 'tokens.json'),
      logDir: join(dir, 'logs'),
      apps: ['audit-writer', 'ingest', 'router', 'console'],
    });
    // The apps do not depend on each other to start; starting them together saves half the set-up time.
    const started = await Promise.allSettled(stack.options.apps.map((app) => stack.startApp(app)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    producer = newProducer(brokers, 'coventry-agresso');
    await producer.connect();
    opsContext = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    ops = await opsContext.newPage();
    ops.on('pageerror', (e) => pageErrors.push(String(e)));
    ops.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await stack?.stop();
    await schema?.cleanup();
  });

  /** Coventry's Agresso layout (libs/domains/finance/mappings/coventry-spend-json.json). */
  const spend = (voucherNo: string) =>
    JSON.stringify({
      voucherNo,
      sequenceNo: '1',
      paymentDate: '2026-11-20',
      amounts: { net: '£1,234.56', irrecoverableVat: '0.00' },
      supplier: { name: 'Midland Office Supplies Ltd', id: 'S1001' },
      directorate: 'Resources',
      account: { code: 'R4513', name: 'Stationery' },
      description: 'Stationery for the customer service centre',
    });

  function publish(records: Array<{ id: string; value: string }>) {
    return producer.send({
      topic: topics.council('coventry', 'finance'),
      messages: records.map(({ id, value }) => ({
        key: id,
        value,
        headers: cloudEventHeaders({
          id,
          source: '/councils/coventry/agresso',
          type: 'uk.gov.council.finance.spend',
          time: new Date().toISOString(),
          contentType: 'application/json',
        }),
      })),
    });
  }

  async function api<T>(path: string, token: string, body?: unknown): Promise<{ status: number; json: T }> {
    const response = await fetch(`${stack.url('console')}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as T };
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto(`${stack.url('console')}/`);
    await page.getByLabel('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#whoami').waitFor({ state: 'visible' });
  }

  const tile = (page: Page, feed: string, status?: string) =>
    page.locator(`#feeds li[data-feed="${feed}"]${status ? `[data-status="${status}"]` : ''}`);

  it('loads real data: Coventry finance is ok with its records counted; a council sees only its own feeds', async () => {
    await publish([1, 2, 3].map((n) => ({ id: uniqueName('good'), value: spend(`PT90000${n}`) })));
    await signIn(ops, tokens.ops);
    await tile(ops, 'coventry.finance', 'ok').waitFor({ timeout: SHOWS_WITHIN_MS });
    const coventry = tile(ops, 'coventry.finance');
    await expect(coventry.locator('.badge').textContent()).resolves.toContain('ok');
    // Second row of the tile: "Records 5 min / 1 h".
    await expect(coventry.locator('dt').nth(1).textContent()).resolves.toBe('Records 5 min / 1 h');
    const counts = await coventry.locator('dd').nth(1).textContent();
    expect(Number(counts?.split('/')[0])).toBeGreaterThan(0);
    // The page also shows the other feeds (silent ones) and the live indicator.
    await expect(
      ops.locator('#feeds li[data-feed="solihull.finance"]').getAttribute('data-status'),
    ).resolves.toBe('silent');
    await ops.locator('#live', { hasText: 'Live' }).waitFor();
    await ops.screenshot({ path: join(screenshots, 'operator-1-feeds-ok.png'), fullPage: true });

    const { json } = await api<{ feeds: Array<{ council: string }> }>('/api/feeds', tokens.solihull);
    expect(new Set(json.feeds.map((f) => f.council))).toEqual(new Set(['solihull']));
  });

  it(`turns the feed to failing within ${FAILING_WITHIN_MS / 1000} s of bad records, without a reload`, async () => {
    for (let i = 0; i < 6; i++) badIds.push(uniqueName('bad'));
    const published = Date.now();
    await publish(badIds.map((id) => ({ id, value: '{"voucherNo": "PT1", ' })));
    await tile(ops, 'coventry.finance', 'failing').waitFor({ timeout: FAILING_WITHIN_MS });
    const tookMs = Date.now() - published;
    console.log(
      `coventry.finance turned failing ${tookMs} ms after the bad records were published (stated: within ${FAILING_WITHIN_MS} ms)`,
    );
    expect(tookMs).toBeLessThan(FAILING_WITHIN_MS);
    await expect(tile(ops, 'coventry.finance').locator('.badge').textContent()).resolves.toContain('failing');
    await expect(tile(ops, 'coventry.finance').locator('.reasons').textContent()).resolves.toMatch(
      /rejected/,
    );
    // Six rejections in five minutes is over the DLQ growth threshold (5).
    await ops.locator('#alerts li[data-alert="dlq-growth:coventry.finance"]').waitFor({ timeout: 10_000 });
    await ops.screenshot({ path: join(screenshots, 'operator-2-feed-failing.png'), fullPage: true });
  });

  it('lists the dead letters with their reasons, and replays one for an ops token; replaying it again is skipped', async () => {
    // The list refreshes itself when the feed's DLQ depth changes.
    for (const id of badIds)
      await ops.locator(`#dlq tr[data-source-event-id="${id}"]`).waitFor({ timeout: 15_000 });
    const row = ops.locator(`#dlq tr[data-source-event-id="${badIds[0]}"]`);
    await expect(row.locator('td.reason').textContent()).resolves.toMatch(/not valid JSON/);
    await expect(row.textContent()).resolves.toContain('SOURCE.PARSE_ERROR');
    const rejectionId = await row.getAttribute('data-dead-letter');

    await ops.getByLabel(`Select dead letter ${badIds[0]}`).check();
    await ops.getByRole('button', { name: 'Replay selected (1)' }).click();
    await ops.locator('#dlq-status', { hasText: 'Replayed 1 of 1' }).waitFor({ timeout: 40_000 });
    await ops.screenshot({ path: join(screenshots, 'operator-3-replayed.png'), fullPage: true });

    // The same dead letter again: skipped, so it is delivered (to the ingest) once.
    const again = await api<{ replayed: number; skipped: number; skippedByReason: Record<string, number> }>(
      '/api/dlq/replay',
      tokens.ops,
      {
        ids: [rejectionId],
      },
    );
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ replayed: 0, skipped: 1, skippedByReason: { 'already-replayed': 1 } });
  });

  it("offers an auditor no replay, and shows the replay in the record's lineage", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const auditor = await context.newPage();
      await signIn(auditor, tokens.auditor);
      await expect(auditor.getByRole('button', { name: /Replay/ }).count()).resolves.toBe(0);
      await expect(auditor.locator('#dlq-panel').isVisible()).resolves.toBe(false);

      // The replayed record comes back through the ingest: its new `received` event carries replayOf.
      // (It fails again, as its bytes are still broken JSON: a replay re-runs the record, it does not fix it.)
      const deadline = Date.now() + 30_000;
      let stages: string[] = [];
      while (Date.now() < deadline) {
        await auditor.getByLabel(/Record id/).fill(badIds[0]);
        await auditor.getByRole('button', { name: 'Show story' }).click();
        await auditor.locator('#lineage-status', { hasText: /found|Nothing/ }).waitFor();
        stages = await auditor
          .locator('#lineage .timeline li')
          .evaluateAll((items) => items.map((li) => li.getAttribute('data-stage') ?? ''));
        if (stages.includes('replayed') && stages.filter((s) => s === 'received').length >= 2) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(stages).toEqual(expect.arrayContaining(['received', 'rejected', 'replayed']));
      expect(stages.filter((s) => s === 'received')).toHaveLength(2);
      await expect(
        auditor.locator('#lineage .timeline li[data-stage="received"]', { hasText: 'replayOf' }).count(),
      ).resolves.toBe(1);
      await auditor.screenshot({ path: join(screenshots, 'operator-4-auditor-lineage.png'), fullPage: true });
    } finally {
      await context.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
