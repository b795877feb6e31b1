import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { HubStack, ensureLocalTokens } from '@hub/launcher';
import { createPgPool, migrate } from '@hub/persistence';
import { TopicNames, cloudEventHeaders } from '@hub/platform';
import { createSchema, newProducer, TestSchema, testStack, uniqueName, waitForMessages } from '@hub/testing';
import { seededRandom } from '../../apps/demo-publisher/src/demo-generator';
import { DEMO_GENERATORS } from '../../apps/demo-publisher/src/generators';

/**
 * Personal data may flow to the SSC under the data-sharing agreement, but never into the audit log,
 * the logs or the metrics. Records with distinctive fake names, National Insurance numbers, emails and
 * phone numbers go through the hub (one of them rejected for a bad NI number); then every audit row,
 * every app's log file and every app's /metrics output is searched for those values.
 */
describe('personal data stays out of the audit log, the logs and the metrics', () => {
  const { brokers, databaseUrl } = testStack();
  const namespace = `${uniqueName('pii').replace(/[^a-z0-9-]/g, '')}.`;
  const topics = new TopicNames(namespace);
  const dir = mkdtempSync(join(tmpdir(), 'hub-pii-'));
  let schema: TestSchema;
  let stack: HubStack;
  let producer: Producer;
  let pool: Pool;

  const probes = {
    forename: 'Zebedeeprobe',
    surname: 'Fennimorexprobe',
    nino: 'JT482917C',
    email: 'zebedee.fennimorex@pii-probe.example',
    phone: '07700 900417',
    rejectedName: 'Quirinusprobe',
    rejectedNino: 'QQ123456Z',
    customer: 'Ottolineprobe Wrexhamsonprobe',
    customerEmail: 'ottoline@pii-probe.example',
    customerPhone: '07700 900982',
  };
  const needles = [...Object.values(probes), 'JT 48 29 17 C', '07700900417', '07700900982'].map((s) =>
    s.toLowerCase(),
  );

  beforeAll(async () => {
    schema = await createSchema(databaseUrl, 'pii');
    await migrate(databaseUrl, schema.name);
    ensureLocalTokens(join(dir, 'tokens.json'));
    stack = new HubStack({
      brokers,
      databaseUrl,
      namespace,
      schema: schema.name,
      tokensFile: join(dir, 'tokens.json'),
      logDir: join(dir, 'logs'),
      apps: ['audit-writer', 'ingest', 'router', 'console'],
      // The most talkative level: a value that leaks anywhere would show here.
      env: { LOG_LEVEL: 'trace' },
    });
    await stack.start();
    producer = newProducer(brokers, 'pii-probe');
    await producer.connect();
    pool = createPgPool(databaseUrl, schema.name, 1);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await pool?.end();
    await stack?.stop();
    await schema?.cleanup();
  });

  function employee(nino: string, forename: string) {
    const generated = JSON.parse(
      DEMO_GENERATORS.get('coventry.hr.employee-json')!.make(1, seededRandom(3)).body,
    );
    generated.person = {
      ...generated.person,
      forenames: forename,
      surname: probes.surname,
      niNumber: nino,
      personalEmail: probes.email,
      homePhone: probes.phone,
      mobilePhone: null,
    };
    generated.changeType = 'NEW';
    generated.personNumber = forename === probes.forename ? '00470001' : '00470002';
    return generated;
  }

  function caseRecord() {
    const generated = JSON.parse(
      DEMO_GENERATORS.get('coventry.crm.case-json')!.make(7, seededRandom(5)).body,
    );
    generated.customer = {
      fullName: probes.customer,
      email: probes.customerEmail,
      phone: probes.customerPhone,
    };
    return generated;
  }

  async function send(domain: 'hr' | 'crm', type: string, source: string, body: unknown, id: string) {
    await producer.send({
      topic: topics.council('coventry', domain),
      messages: [
        {
          key: id,
          value: JSON.stringify(body),
          headers: cloudEventHeaders({ id, source, type, contentType: 'application/json' }),
        },
      ],
    });
  }

  it('finds none of the personal values outside the records delivered to the SSC', async () => {
    const ids = { employee: uniqueName('emp'), rejected: uniqueName('bad'), case: uniqueName('case') };
    await send(
      'hr',
      'uk.gov.council.hr.employee',
      '/councils/coventry/itrent',
      employee(
        `${probes.nino.slice(0, 2)} ${probes.nino.slice(2, 4)} ${probes.nino.slice(4, 6)} ${probes.nino.slice(6, 8)} ${probes.nino.slice(8)}`,
        probes.forename,
      ),
      ids.employee,
    );
    await send(
      'hr',
      'uk.gov.council.hr.employee',
      '/councils/coventry/itrent',
      employee(probes.rejectedNino, probes.rejectedName),
      ids.rejected,
    );
    await send('crm', 'uk.gov.council.crm.case', '/councils/coventry/firmstep', caseRecord(), ids.case);

    // Positive control: the personal data really did flow where the agreement allows it.
    const [hr] = await waitForMessages(brokers, topics.canonical('hr', 'employee'), 1, { timeoutMs: 90_000 });
    expect(hr.value!.toString().toLowerCase()).toContain(probes.surname.toLowerCase());
    const [crm] = await waitForMessages(brokers, topics.canonical('crm', 'case'), 1, { timeoutMs: 90_000 });
    expect(crm.value!.toString().toLowerCase()).toContain(probes.customerEmail);
    const [dead] = await waitForMessages(brokers, topics.dlq('coventry', 'hr'), 1, { timeoutMs: 60_000 });
    expect(dead.headers.hub_error_code).toBe('MAPPING.FIELD_INVALID');
    expect(dead.headers.hub_error_reason.toLowerCase()).toContain('nationalinsurancenumber');

    // Wait until the audit log has the whole story of all three (the writer is asynchronous).
    let rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 120; i++) {
      rows = (await pool.query('SELECT * FROM audit_event')).rows;
      const stages = rows.map((r) => `${r.source_event_id}:${r.stage}`);
      if (
        stages.includes(`${ids.employee}:delivered`) &&
        stages.includes(`${ids.case}:delivered`) &&
        stages.includes(`${ids.rejected}:rejected`)
      )
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(rows.map((r) => r.stage)).toEqual(
      expect.arrayContaining(['received', 'transformed', 'rejected', 'routed', 'delivered']),
    );

    const leaks: string[] = [];
    const search = (where: string, text: string) => {
      const lower = text.toLowerCase();
      for (const needle of needles) if (lower.includes(needle)) leaks.push(`${where}: ${needle}`);
    };
    search(
      'audit_event',
      JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)),
    );
    for (const app of ['audit-writer', 'ingest', 'router', 'console']) {
      search(`${app} /metrics`, await (await fetch(`${stack.url(app)}/metrics`)).text());
    }
    // Stop the apps first so every log line is flushed to disk, then read every log file.
    await stack.stop();
    const logDir = join(dir, 'logs');
    const logFiles = readdirSync(logDir);
    expect(logFiles.length).toBeGreaterThanOrEqual(4);
    for (const file of logFiles) search(`log ${file}`, readFileSync(join(logDir, file), 'utf8'));
    console.log(
      `PII scan: ${rows.length} audit rows, ${logFiles.length} log files, 4 metrics outputs searched for ${needles.length} values; leaks: ${leaks.length}`,
    );
    expect(leaks).toEqual([]);
  });
});
