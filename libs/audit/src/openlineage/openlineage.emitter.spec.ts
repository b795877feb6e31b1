import Ajv from 'ajv';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEvent } from '../audit-event';
import { OpenLineageEmitter } from './openlineage.emitter';
import { OPENLINEAGE_RUN_EVENT_SCHEMA } from './openlineage.schema';

const event = (stage: AuditEvent['stage'], detail: AuditEvent['detail'], entity?: string): AuditEvent => ({
  eventId: `${stage}-${Math.random()}`,
  stage,
  occurredAt: '2026-11-23T10:00:00.000Z',
  actor: 'test',
  council: 'coventry',
  domain: 'finance',
  entity,
  detail,
});

describe('OpenLineageEmitter', () => {
  const ajv = new Ajv({ allErrors: true, format: 'full' });
  const validate = ajv.compile(OPENLINEAGE_RUN_EVENT_SCHEMA);

  it('emits schema-valid run events naming council, canonical, DLQ and SSC topics as datasets', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ol-')), 'lineage.jsonl');
    const emitter = new OpenLineageEmitter({
      namespace: 'council-integration-hub',
      kafkaNamespace: 'kafka://127.0.0.1:9092',
      sinks: { file },
      topicNamespace: 't1.',
    });
    emitter.observe([
      event('received', { topic: 't1.council.coventry.finance' }),
      event('transformed', { canonicalTopic: 't1.canonical.finance.spend' }),
      event('transformed', { canonicalTopic: 't1.canonical.finance.spend' }),
      event('rejected', { dlqTopic: 't1.dlq.coventry.finance' }),
      event('delivered', { topic: 't1.ssc.finance', destination: 'ssc-finance' }, 'finance.spend'),
    ]);
    const result = await emitter.flush(new Date('2026-11-23T10:00:30Z'));
    expect(result).toEqual({ sent: 4 });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const line of lines) {
      const valid = validate(line);
      if (!valid) throw new Error(JSON.stringify(validate.errors));
    }
    expect(lines.map((l) => [l.job.name, l.eventType])).toEqual([
      ['ingest.coventry.finance', 'START'],
      ['ingest.coventry.finance', 'RUNNING'],
      ['route.finance.spend', 'START'],
      ['route.finance.spend', 'RUNNING'],
    ]);
    const ingest = lines[1];
    expect(ingest.inputs).toEqual([
      { namespace: 'kafka://127.0.0.1:9092', name: 'council.coventry.finance' },
    ]);
    expect(
      ingest.outputs.map((o: { name: string; outputFacets: { outputStatistics: { rowCount: number } } }) => [
        o.name,
        o.outputFacets.outputStatistics.rowCount,
      ]),
    ).toEqual([
      ['canonical.finance.spend', 2],
      ['dlq.coventry.finance', 1],
    ]);
    expect(lines[3].inputs[0].name).toBe('canonical.finance.spend');
    expect(lines[3].outputs[0].name).toBe('ssc.finance');
  });

  it('rejects an event that breaks the specification (the check has teeth)', () => {
    expect(
      validate({
        eventType: 'DONE',
        eventTime: 'yesterday',
        producer: 'x',
        schemaURL: 'y',
        run: { runId: 'nope' },
        job: { namespace: 'n' },
      }),
    ).toBe(false);
  });
});
