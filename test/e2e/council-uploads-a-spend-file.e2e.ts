import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@hub/config';
import { HubStack, ensureLocalTokens, tokenFor } from '@hub/launcher';
import { migrate } from '@hub/persistence';
import { DlqHeaders, TopicNames } from '@hub/platform';
import { createSchema, testStack, TestSchema, uniqueName, waitForMessages } from '@hub/testing';

/**
 * Warwickshire uploads its monthly spend export (the real published layout, Windows-1252, with a
 * title row above the header): every row becomes a canonical record whose lineage names the file and
 * row; a row without a payment date is rejected with a reason naming the field; the same file sent
 * again is recognised and not split twice. The upload CLI does the same as the API.
 */
describe('a council uploads its spend file export', () => {
  const { brokers, databaseUrl } = testStack();
  const namespace = `${uniqueName('files').replace(/[^a-z0-9-]/g, '')}.`;
  const topics = new TopicNames(namespace);
  const dir = mkdtempSync(join(tmpdir(), 'hub-files-'));
  let schema: TestSchema;
  let stack: HubStack;
  let warwickshireToken: string;
  let coventryToken: string;

  // The real file's header and first 20 rows, a title row above, and one row with no Pay Date.
  const real = readFileSync(
    join(repoRoot(), '..', 'shared', 'data', 'councils', 'warwickshire', 'all-december-2018.csv'),
    'latin1',
  ).split(/\r?\n/);
  const rows = real.slice(1, 21);
  const broken = '999982,Test Supplier Ltd,51999999,R5501,Grants,"1,000.00",,Communities';
  const csv =
    ['Warwickshire County Council spend over £500 - December 2018', real[0], ...rows, broken].join('\r\n') +
    '\r\n';
  const file = join(dir, 'warwickshire-december-2018.csv');
  writeFileSync(file, Buffer.from(csv, 'latin1'));

  beforeAll(async () => {
    schema = await createSchema(databaseUrl, 'files');
    await migrate(databaseUrl, schema.name);
    const tokens = ensureLocalTokens(join(dir, 'tokens.json'));
    warwickshireToken = tokenFor(tokens, 'council:warwickshire');
    coventryToken = tokenFor(tokens, 'council:coventry');
    stack = new HubStack({
      brokers,
      databaseUrl,
      namespace,
      schema: schema.name,
      tokensFile: join(dir, 'tokens.json'),
      logDir: join(dir, 'logs'),
      apps: ['audit-writer', 'ingest', 'router', 'console'],
    });
    await stack.start();
  });

  afterAll(async () => {
    await stack?.stop();
    await schema?.cleanup();
  });

  async function upload(token: string, council = 'warwickshire') {
    const form = new FormData();
    form.set('file', new Blob([readFileSync(file)], { type: 'text/csv' }), 'warwickshire-december-2018.csv');
    form.set('encoding', 'windows-1252');
    return fetch(`${stack.url('console')}/api/councils/${council}/feeds/finance/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    });
  }

  it('splits the file into canonical records with file and row lineage, and reports the rejected row', async () => {
    const response = await upload(warwickshireToken);
    expect(response.status).toBe(201);
    const report = (await response.json()) as {
      fileId: string;
      sha256: string;
      encoding: string;
      duplicate: boolean;
      rows: { total: number; accepted: number; rejected: number };
      skippedPreambleRows: number;
      rejections: Array<{ row: number; code: string; field?: string; reason: string }>;
    };
    expect(report).toMatchObject({
      encoding: 'windows-1252',
      duplicate: false,
      skippedPreambleRows: 1,
      rows: { total: 21, accepted: 20, rejected: 1 },
    });
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.rejections).toEqual([
      {
        row: 23,
        line: 23,
        code: 'MAPPING.FIELD_MISSING',
        field: 'paymentDate',
        reason: expect.stringContaining('paymentDate'),
      },
    ]);

    const canonical = await waitForMessages(brokers, topics.canonical('finance', 'spend'), 20, {
      timeoutMs: 90_000,
    });
    const records = canonical.map((m) => JSON.parse(m.value!.toString()));
    const first = records.find((r) => r.source.file.row === 3);
    // Row 3 of the upload is the real file's first data row (title row 1, header row 2).
    expect(first).toMatchObject({
      council: { slug: 'warwickshire', gss: 'E10000031' },
      source: {
        system: 'spend-export',
        file: { id: report.fileId, name: 'warwickshire-december-2018.csv', row: 3 },
      },
      data: {
        transactionRef: '51465244',
        paymentDate: '2018-12-04',
        netAmountPence: 200000,
        department: 'Communities',
      },
    });
    const [dead] = await waitForMessages(brokers, topics.dlq('warwickshire', 'finance'), 1, {
      timeoutMs: 60_000,
    });
    expect(dead.headers[DlqHeaders.code]).toBe('MAPPING.FIELD_MISSING');
    expect(dead.headers.hub_file_row).toBe('23');

    // The auditor can follow the file: lineage by file id lists every row's story.
    const tokens = ensureLocalTokens(join(dir, 'tokens.json'));
    let sources = 0;
    for (let i = 0; i < 60 && sources < 21; i++) {
      const lineage = await fetch(`${stack.url('console')}/api/lineage/${report.fileId}`, {
        headers: { Authorization: `Bearer ${tokenFor(tokens, 'auditor')}` },
      });
      if (lineage.status === 200) sources = ((await lineage.json()) as { sources: unknown[] }).sources.length;
      if (sources < 21) await new Promise((r) => setTimeout(r, 500));
    }
    expect(sources).toBeGreaterThanOrEqual(21);
  });

  it('recognises the same file sent again and does not split it twice', async () => {
    const again = await upload(warwickshireToken);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, rows: { total: 21 } });
    const canonical = await waitForMessages(brokers, topics.canonical('finance', 'spend'), 20, {
      timeoutMs: 30_000,
      settleMs: 3_000,
    });
    expect(canonical).toHaveLength(20);
  });

  it("refuses another council's upload and a feed that takes no files, with JSON errors", async () => {
    const foreign = await upload(coventryToken);
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: { code: 'AUTH.FORBIDDEN', message: expect.any(String) } });
    const eventsOnly = await upload(coventryToken, 'coventry');
    expect(eventsOnly.status).toBe(400);
    expect(((await eventsOnly.json()) as { error: { message: string } }).error.message).toMatch(
      /takes no files/,
    );
  });

  it('the upload CLI sends a file the same way', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, Buffer.from([real[0], rows[5], rows[6]].join('\r\n') + '\r\n', 'latin1'));
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(repoRoot(), 'dist/apps/console/src/cli/upload-file.cli.js'),
      '--council',
      'warwickshire',
      '--domain',
      'finance',
      '--file',
      small,
      '--url',
      stack.url('console'),
      '--token',
      warwickshireToken,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      duplicate: false,
      rows: { total: 2, accepted: 2, rejected: 0 },
    });
  });
});
