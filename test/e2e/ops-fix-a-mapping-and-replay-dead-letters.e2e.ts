import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { repoRoot } from '@hub/config';
import { HubStack, ensureLocalTokens, tokenFor } from '@hub/launcher';
import { migrate } from '@hub/persistence';
import { CeHeaders, DlqHeaders, ErrorCodes, HubHeaders, TopicNames, cloudEventHeaders } from '@hub/platform';
import {
  collectTopics,
  createSchema,
  newProducer,
  TestSchema,
  testStack,
  TopicCollector,
  uniqueName,
} from '@hub/testing';

/** Coventry's spend events: the ce_type its Agresso system sends, and the one the broken feed config names. */
const SPEND_TYPE = 'uk.gov.council.finance.spend';
const MISSPELT_TYPE = 'uk.gov.council.finance.spned';
const BROKEN_CODE = ErrorCodes.ENVELOPE_TYPE_UNKNOWN;
/** Coventry's records that the broken configuration dead-letters, and Solihull's that keep flowing. */
const N = 20;
const OTHERS = 5;
/** After the second replay: long enough for a wrongly re-published record to have come through the hub. */
const SETTLE_MS = 5_000;

interface ReplayReport {
  requested: number;
  replayed: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  truncated: boolean;
  results: Array<{ id: string; outcome: string; reason?: string; replayOf?: string; targetTopic?: string }>;
}

interface DeadLetter {
  id: string;
  sourceEventId: string;
  code: string;
  reason: string;
  replay: { replayId: string } | null;
}

interface LineageEvent {
  stage: string;
  code: string | null;
  detail: Record<string, unknown>;
}

/**
 * The fix path of issue 6 §5 over the real broker, database and app processes. The hub runs with its
 * partnership configuration in a folder of its own (PARTNERSHIP_DIR, a copy of config/partnership) in
 * which Coventry's finance feed names its spend event type misspelt, so every one of Coventry's good
 * spend events is dead-lettered (ENVELOPE.TYPE_UNKNOWN) while Solihull's flow. An operator corrects the
 * feed file, restarts the ingest and replays the dead letters by filter (council, domain, code, time
 * range) through the console: each becomes exactly one canonical record delivered once to the SSC, and
 * its lineage links the replay to the original. Replaying again replays nothing; an auditor may not replay.
 *
 * (Mapping files are read from libs/domains/<domain>/mappings/ in the repository, which a test cannot
 * break in isolation; the feed file's event-type-to-mapping table is the mapping configuration a
 * deployment keeps in its own folder.)
 */
describe('ops fix a mapping and replay the dead letters', () => {
  const { brokers, databaseUrl } = testStack();
  const namespace = `${uniqueName('fix').replace(/[^a-z0-9-]/g, '')}.`;
  const topics = new TopicNames(namespace);
  const councilTopic = topics.council('coventry', 'finance');
  const canonicalTopic = topics.canonical('finance', 'spend');
  const sscTopic = topics.ssc('finance');
  const dlqTopic = topics.dlq('coventry', 'finance');
  const coventryIds = Array.from({ length: N }, (_, i) => uniqueName(`cov${i}`));
  const solihullIds = Array.from({ length: OTHERS }, (_, i) => uniqueName(`sol${i}`));
  let dir: string;
  let feedFile: string;
  let schema: TestSchema;
  let stack: HubStack;
  let producer: Producer;
  let seen: TopicCollector;
  let tokens: { ops: string; auditor: string };
  let sentFrom: Date;
  let deadLetters: DeadLetter[] = [];
  let filter: { council: string; domain: string; code: string; from: string; to: string };
  let firstReplay: ReplayReport;

  beforeAll(async () => {
    schema = await createSchema(databaseUrl, 'fix');
    await migrate(databaseUrl, schema.name);
    dir = mkdtempSync(join(tmpdir(), 'hub-fix-'));
    // The deployment's own partnership configuration, with Coventry's finance feed broken.
    const partnershipDir = join(dir, 'partnership');
    cpSync(join(repoRoot(), 'config', 'partnership'), partnershipDir, { recursive: true });
    feedFile = join(partnershipDir, 'feeds', 'coventry.json');
    editSpendType(SPEND_TYPE, MISSPELT_TYPE);
    const local = ensureLocalTokens(join(dir, 'tokens.json'));
    tokens = { ops: tokenFor(local, 'ops'), auditor: tokenFor(local, 'auditor') };
    stack = new HubStack({
      brokers,
      databaseUrl,
      namespace,
      schema: schema.name,
      tokensFile: join(dir, 'tokens.json'),
      logDir: join(dir, 'logs'),
      apps: ['audit-writer', 'ingest', 'router', 'console'],
      env: { PARTNERSHIP_DIR: partnershipDir },
    });
    // The apps do not depend on each other to start: starting them together saves seconds.
    const started = await Promise.allSettled(stack.options.apps.map((app) => stack.startApp(app)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    producer = newProducer(brokers, 'council-systems');
    await producer.connect();
    seen = await collectTopics(brokers, [councilTopic, canonicalTopic, sscTopic, dlqTopic]);
  }, 120_000);

  afterAll(async () => {
    await seen?.stop();
    await producer?.disconnect().catch(() => undefined);
    await stack?.stop();
    await schema?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Renames the spend event type in Coventry's finance feed (the typo, then its correction). */
  function editSpendType(from: string, to: string) {
    const config = JSON.parse(readFileSync(feedFile, 'utf8')) as {
      feeds: Array<{ domain: string; eventTypes: Record<string, string> }>;
    };
    const finance = config.feeds.find((f) => f.domain === 'finance')!;
    const mappingId = finance.eventTypes[from];
    expect(mappingId).toBe('coventry.finance.spend-json');
    finance.eventTypes = { [to]: mappingId };
    writeFileSync(feedFile, JSON.stringify(config, null, 2));
  }

  /** Coventry's Agresso layout (libs/domains/finance/mappings/coventry-spend-json.json): nothing wrong with it. */
  const coventrySpend = (n: number) =>
    JSON.stringify({
      voucherNo: `PT57${String(n).padStart(4, '0')}`,
      sequenceNo: '1',
      paymentDate: '2026-11-20',
      amounts: { net: `£${100 + n}.25`, irrecoverableVat: '0.00' },
      supplier: { name: 'Midland Office Supplies Ltd', id: 'S1001' },
      directorate: 'Resources',
      account: { code: 'R4513', name: 'Stationery' },
      description: 'Stationery for the customer service centre',
    });

  /** Solihull's Oracle AP layout (solihull-spend-xml.json): the feed that was never broken. */
  const solihullPayment = (n: number) =>
    `<ApPayment documentId="${880000 + n}" lineNumber="1" action="INSERT"><CheckDate>20/11/2026</CheckDate><Amount>42.00</Amount><Vendor><VendorName>Solihull Parks Ltd</VendorName></Vendor></ApPayment>`;

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

  const records = (topic: string) =>
    seen.on(topic).map(
      (m) =>
        JSON.parse(m.value!.toString()) as {
          id: string;
          council: { slug: string };
          source: { eventId: string; offset: string };
        },
    );
  const canonicalFor = (ceId: string) => records(canonicalTopic).filter((r) => r.source.eventId === ceId);
  const deliveredFor = (canonicalId: string) =>
    seen.on(sscTopic).filter((m) => m.key?.toString() === canonicalId);
  const onCouncilTopic = () =>
    seen.on(councilTopic).filter((m) => coventryIds.includes(m.headers[CeHeaders.id]));

  async function pendingDeadLetters(): Promise<DeadLetter[]> {
    const query = new URLSearchParams({ council: 'coventry', domain: 'finance', code: BROKEN_CODE });
    const { status, json } = await api<{ deadLetters: DeadLetter[] }>(
      `/api/dlq?${query}&state=pending&limit=1000`,
      tokens.ops,
    );
    expect(status).toBe(200);
    return json.deadLetters.filter((d) => coventryIds.includes(d.sourceEventId));
  }

  it(`dead-letters Coventry's ${N} good spend events under the broken feed config while Solihull's flow`, async () => {
    sentFrom = new Date(Date.now() - 1_000);
    await producer.send({
      topic: councilTopic,
      messages: coventryIds.map((id, n) => ({
        key: `PT57${String(n).padStart(4, '0')}`,
        value: coventrySpend(n),
        headers: cloudEventHeaders({
          id,
          source: '/councils/coventry/agresso',
          type: SPEND_TYPE,
          time: new Date().toISOString(),
          contentType: 'application/json',
        }),
      })),
    });
    await producer.send({
      topic: topics.council('solihull', 'finance'),
      messages: solihullIds.map((id, n) => ({
        key: String(880000 + n),
        value: solihullPayment(n),
        headers: cloudEventHeaders({
          id,
          source: '/councils/solihull/oracle-ebs',
          type: 'uk.gov.solihull.finance.ap-payment',
          time: new Date().toISOString(),
          contentType: 'application/xml',
        }),
      })),
    });

    await seen.until(`${N} dead letters`, () => seen.on(dlqTopic).length >= N);
    await seen.until(`${OTHERS} Solihull records at the SSC`, () =>
      solihullIds.every(
        (id) => canonicalFor(id).length === 1 && deliveredFor(canonicalFor(id)[0].id).length === 1,
      ),
    );
    const dead = seen.on(dlqTopic);
    expect(dead).toHaveLength(N);
    expect(new Set(dead.map((m) => m.headers[CeHeaders.id]))).toEqual(new Set(coventryIds));
    for (const m of dead) {
      expect(m.headers[DlqHeaders.code]).toBe(BROKEN_CODE);
      expect(m.headers[DlqHeaders.reason]).toContain(`ce_type ${SPEND_TYPE} is not a record type`);
    }
    expect(coventryIds.flatMap(canonicalFor)).toEqual([]);

    // The console lists them (once the audit writer has stored the rejections): the replay works from these.
    const deadline = Date.now() + 30_000;
    while ((deadLetters = await pendingDeadLetters()).length < N && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    expect(deadLetters).toHaveLength(N);
    expect(deadLetters.every((d) => d.code === BROKEN_CODE && d.replay === null)).toBe(true);
    filter = {
      council: 'coventry',
      domain: 'finance',
      code: BROKEN_CODE,
      from: sentFrom.toISOString(),
      to: new Date(Date.now() + 1_000).toISOString(),
    };
  });

  it('refuses an auditor the replay (403), replaying nothing', async () => {
    const { status, json } = await api<{ error: { code: string } }>('/api/dlq/replay', tokens.auditor, {
      filter,
    });
    expect(status).toBe(403);
    expect(json.error.code).toBe(ErrorCodes.AUTH_FORBIDDEN);
    expect(await pendingDeadLetters()).toHaveLength(N);
  });

  it('after the feed is fixed and the ingest restarted, a replay by filter delivers each record exactly once, linked to its original', async () => {
    editSpendType(MISSPELT_TYPE, SPEND_TYPE);
    await stack.get('ingest').stop();
    await stack.startApp('ingest');

    const { status, json } = await api<ReplayReport>('/api/dlq/replay', tokens.ops, { filter });
    expect(status).toBe(200);
    firstReplay = json;
    expect(json).toMatchObject({ requested: N, replayed: N, skipped: 0, truncated: false });
    expect(new Set(json.results.map((r) => r.id))).toEqual(new Set(deadLetters.map((d) => d.id)));
    expect(json.results.every((r) => r.outcome === 'replayed' && r.targetTopic === councilTopic)).toBe(true);

    await seen.until(
      `${N} replayed records canonical and at the SSC`,
      () =>
        coventryIds.every((id) => canonicalFor(id).length >= 1) &&
        coventryIds.every((id) => deliveredFor(canonicalFor(id)[0].id).length >= 1),
      90_000,
    );
    // Each replay went back to Coventry's topic once, carrying the dead letter's coordinates.
    const replays = onCouncilTopic().filter((m) => m.headers[HubHeaders.replayOf]);
    expect(replays).toHaveLength(N);
    expect(new Set(replays.map((m) => m.headers[HubHeaders.replayOf]))).toEqual(
      new Set(json.results.map((r) => r.replayOf)),
    );

    // The story of one record: received and rejected, replayed, received again (replayOf), transformed, delivered.
    const ceId = coventryIds[0];
    const wanted = ['received', 'rejected', 'replayed', 'transformed', 'routed', 'delivered'];
    let events: LineageEvent[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const lineage = await api<{ sources: Array<{ outcome: string; events: LineageEvent[] }> }>(
        `/api/lineage/${ceId}`,
        tokens.auditor,
      );
      events = lineage.status === 200 ? lineage.json.sources.flatMap((s) => s.events) : [];
      const stages = events.map((e) => e.stage);
      if (wanted.every((s) => stages.includes(s)) && stages.filter((s) => s === 'received').length >= 2)
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const stages = events.map((e) => e.stage);
    expect(stages).toEqual(expect.arrayContaining(wanted));
    const received = events.filter((e) => e.stage === 'received');
    expect(received).toHaveLength(2);
    const rejected = events.filter((e) => e.stage === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].code).toBe(BROKEN_CODE);
    const replayed = events.filter((e) => e.stage === 'replayed');
    expect(replayed).toHaveLength(1);
    const original = deadLetters.find((d) => d.sourceEventId === ceId)!;
    const replayOf = firstReplay.results.find((r) => r.id === original.id)!.replayOf;
    expect(replayed[0].detail).toMatchObject({ originalEventId: original.id, replayOf });
    // The original was received without replayOf; the replay with the dead letter's coordinates.
    expect(received.map((e) => e.detail.replayOf ?? null)).toEqual([null, replayOf]);
    expect(events.filter((e) => e.stage === 'transformed')).toHaveLength(1);
    expect(events.filter((e) => e.stage === 'delivered')).toHaveLength(1);
    // In that order: the rejection and the replay precede the replayed record's transform.
    expect(stages.indexOf('rejected')).toBeLessThan(stages.indexOf('replayed'));
    expect(stages.indexOf('replayed')).toBeLessThan(stages.lastIndexOf('received'));
    expect(stages.lastIndexOf('received')).toBeLessThan(stages.indexOf('transformed'));
  });

  it('replays nothing the second time: no dead letter is pending, and by ids each is skipped as already replayed', async () => {
    const again = await api<ReplayReport>('/api/dlq/replay', tokens.ops, { filter });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ requested: 0, replayed: 0, skipped: 0 });
    expect(await pendingDeadLetters()).toEqual([]);

    const byIds = await api<ReplayReport>('/api/dlq/replay', tokens.ops, {
      ids: deadLetters.map((d) => d.id),
    });
    expect(byIds.status).toBe(200);
    expect(byIds.json).toMatchObject({
      requested: N,
      replayed: 0,
      skipped: N,
      skippedByReason: { 'already-replayed': N },
    });

    await new Promise((r) => setTimeout(r, SETTLE_MS));
    // Nothing more went back to Coventry's topic, and each record is still one canonical record delivered once.
    expect(onCouncilTopic()).toHaveLength(2 * N);
    expect(seen.on(dlqTopic)).toHaveLength(N);
    const canonical = coventryIds.map(canonicalFor);
    expect(canonical.every((c) => c.length === 1)).toBe(true);
    const delivered = canonical.map(([c]) => deliveredFor(c.id).length);
    expect(delivered.every((d) => d === 1)).toBe(true);
    console.log(
      `[replay] sent ${N} Coventry (+${OTHERS} Solihull); DLQ ${seen.on(dlqTopic).length}; ` +
        `replayed ${firstReplay.replayed} (again by filter: ${again.json.replayed} of ${again.json.requested}, ` +
        `by ids: ${byIds.json.replayed}, skipped ${byIds.json.skipped}); ` +
        `canonical ${canonical.flat().length}; delivered ${delivered.reduce((a, b) => a + b, 0)}`,
    );
  });
});
