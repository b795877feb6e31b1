import { decodeAuditBatch } from '@hub/audit';
import { ConsumedMessage, DlqHeaders, HubMetrics, TopicNames, cloudEventHeaders } from '@hub/platform';
import { FeedCatalogue, ResolvedMapping } from './feed-catalogue.port';
import { TransformBatchUseCase } from './transform-batch.use-case';

/** A fake catalogue: Coventry finance, one JSON record type whose mapping reads `ref` and `amount`. */
const spendMapping: ResolvedMapping = {
  id: 'coventry.finance.test',
  version: 3,
  domain: 'finance',
  entity: 'spend',
  schemaId: 'hub.finance.spend.v1',
  map: async (record) =>
    typeof record.ref === 'string' && typeof record.amount === 'number'
      ? { ok: true, recordId: record.ref, operation: 'upsert', data: { transactionRef: record.ref, netAmountPence: record.amount }, warnings: [] }
      : { ok: false, errors: [{ code: 'MAPPING.FIELD_MISSING', field: 'amount', message: 'Field amount (from "amount") is required.' }] },
};

const catalogue: FeedCatalogue = {
  councilGss: (c) => (c === 'coventry' ? 'E08000026' : undefined),
  checkSource: (council, _domain, ceSource) =>
    ceSource === '/councils/coventry/agresso'
      ? { ok: true, system: 'agresso' }
      : ceSource.startsWith(`/councils/${council}/`)
        ? { ok: false, code: 'SECURITY.SOURCE_UNKNOWN', reason: 'unknown system' }
        : { ok: false, code: 'SECURITY.SOURCE_MISMATCH', reason: 'ce_source names another council' },
  mappingFor: (_c, _d, type) => (type === 'spend' ? spendMapping : undefined),
  fileMappingFor: (_c, _d, format) => (format === 'csv' ? spendMapping : undefined),
  knownTypes: () => ['spend'],
  feeds: () => [{ council: 'coventry', domain: 'finance' }],
  entities: () => [{ domain: 'finance', entity: 'spend' }],
};

let offset = 0;
function message(value: string | null, over: Record<string, string | undefined> = {}): ConsumedMessage {
  const headers: Record<string, string | undefined> = {
    ...cloudEventHeaders({ id: `ce-${offset}`, source: '/councils/coventry/agresso', type: 'spend', time: '2026-11-23T10:00:00Z', contentType: 'application/json' }),
    ...over,
  };
  const raw = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return {
    topic: 'council.coventry.finance',
    partition: 0,
    offset: String(offset++),
    key: Buffer.from('k'),
    value: value === null ? null : Buffer.from(value),
    headers: raw,
    rawHeaders: raw,
    timestamp: '0',
  };
}

describe('TransformBatchUseCase', () => {
  const useCase = new TransformBatchUseCase(catalogue, new TopicNames(), new HubMetrics('test'), { maxRecordBytes: 2048 }, () => new Date('2026-11-23T12:00:00Z'));

  it('turns a good record into a canonical record with lineage, and audits received + transformed', async () => {
    const m = message('{"ref":"PT348115,1","amount":-1250}');
    const out = await useCase.execute({ topic: m.topic, partition: 0, messages: [m] });
    const canonical = out.find((o) => o.topic === 'canonical.finance.spend')!;
    const record = JSON.parse(String(canonical.value));
    expect(record).toMatchObject({
      schema: 'hub.finance.spend.v1',
      operation: 'upsert',
      council: { slug: 'coventry', gss: 'E08000026' },
      source: { system: 'agresso', recordId: 'PT348115,1', eventId: m.headers.ce_id, topic: 'council.coventry.finance', partition: 0, offset: m.offset },
      mapping: { id: 'coventry.finance.test', version: 3 },
      data: { transactionRef: 'PT348115,1', netAmountPence: -1250 },
    });
    expect(canonical.key).toBe(record.id);
    const audit = decodeAuditBatch(Buffer.from(String(out.find((o) => o.topic === 'hub.audit.v1')!.value)));
    expect(audit.map((e) => e.stage)).toEqual(['received', 'transformed']);
    expect(audit[1]).toMatchObject({ canonicalId: record.id, revision: record.revision, detail: { mappingId: 'coventry.finance.test', mappingVersion: 3 } });
    expect(audit[0].detail).toMatchObject({ sizeBytes: m.value!.length, offset: m.offset });
    // The audit log keeps the payload's hash, never its content.
    expect(JSON.stringify(audit)).not.toContain('PT348115');
  });

  const cases: Array<[string, ConsumedMessage, string]> = [
    ['invalid JSON', message('{"ref": '), 'SOURCE.PARSE_ERROR'],
    ['a missing ce_id header', message('{}', { ce_id: undefined }), 'ENVELOPE.HEADER_MISSING'],
    ['a council publishing as another', message('{}', { ce_source: '/councils/solihull/agresso' }), 'SECURITY.SOURCE_MISMATCH'],
    ['an unknown system', message('{}', { ce_source: '/councils/coventry/sap' }), 'SECURITY.SOURCE_UNKNOWN'],
    ['an unknown record type', message('{}', { ce_type: 'payroll' }), 'ENVELOPE.TYPE_UNKNOWN'],
    ['an oversize record', message(`{"ref":"${'x'.repeat(3000)}"}`), 'SIZE.TOO_LARGE'],
    ['a tombstone', message(null), 'SOURCE.TOMBSTONE'],
    ['a missing required field', message('{"ref":"A1"}'), 'MAPPING.FIELD_MISSING'],
    ['a NUL byte in a value', message('{"ref":"A\\u0000B","amount":1}'), 'SOURCE.SCHEMA_INVALID'],
  ];

  it.each(cases)('sends %s to the DLQ with its code, untouched, and audits the rejection', async (_name, m, code) => {
    const out = await useCase.execute({ topic: m.topic, partition: 0, messages: [m] });
    const dlq = out.filter((o) => o.topic === 'dlq.coventry.finance');
    expect(dlq).toHaveLength(1);
    expect(out.some((o) => o.topic.startsWith('canonical.'))).toBe(false);
    expect(dlq[0].value).toBe(m.value);
    expect(dlq[0].headers).toMatchObject({
      [DlqHeaders.code]: code,
      [DlqHeaders.sourceTopic]: 'council.coventry.finance',
      [DlqHeaders.sourceOffset]: m.offset,
    });
    expect(String(dlq[0].headers![DlqHeaders.reason]).length).toBeGreaterThan(10);
    const audit = decodeAuditBatch(Buffer.from(String(out.find((o) => o.topic === 'hub.audit.v1')!.value)));
    expect(audit.map((e) => [e.stage, e.code])).toEqual([
      ['received', undefined],
      ['rejected', code],
    ]);
  });

  it('keeps every record of a mixed batch: each ends canonical or in the DLQ', async () => {
    const messages = [message('{"ref":"A","amount":1}'), message('nope'), message('{"ref":"B","amount":2}')];
    const out = await useCase.execute({ topic: 'council.coventry.finance', partition: 0, messages });
    expect(out.filter((o) => o.topic === 'canonical.finance.spend')).toHaveLength(2);
    expect(out.filter((o) => o.topic === 'dlq.coventry.finance')).toHaveLength(1);
  });
});
