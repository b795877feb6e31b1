import { decodeAuditBatch } from '@hub/audit';
import {
  ConsumedMessage,
  DlqHeaders,
  HubMetrics,
  OutboundMessage,
  TopicNames,
  cloudEventHeaders,
} from '@hub/platform';
import { FeedCatalogue, ResolvedMapping } from './feed-catalogue.port';
import { RecentTransforms } from './recent-transforms.cache';
import { TransformBatchUseCase } from './transform-batch.use-case';
import { NewestRevision, PriorTransforms, TransformHistory } from './transform-history.port';

/** A fake catalogue: Coventry finance, one JSON record type whose mapping reads `ref` and `amount`. */
const spendMapping: ResolvedMapping = {
  id: 'coventry.finance.test',
  version: 3,
  domain: 'finance',
  entity: 'spend',
  schemaId: 'hub.finance.spend.v1',
  format: 'json',
  map: async (record) =>
    typeof record.ref === 'string' && typeof record.amount === 'number'
      ? {
          ok: true,
          recordId: record.ref,
          operation: 'upsert',
          data: { transactionRef: record.ref, netAmountPence: record.amount },
          warnings: [],
        }
      : {
          ok: false,
          errors: [
            {
              code: 'MAPPING.FIELD_MISSING',
              field: 'amount',
              message: 'Field amount (from "amount") is required.',
            },
          ],
        },
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
    ...cloudEventHeaders({
      id: `ce-${offset}`,
      source: '/councils/coventry/agresso',
      type: 'spend',
      time: '2026-11-23T10:00:00Z',
      contentType: 'application/json',
    }),
    ...over,
  };
  const raw = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
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

/** A fake audit log: what earlier batches transformed, as the ingest's history query would find it. */
class FakeHistory implements TransformHistory {
  readonly revisions = new Map<string, string>();
  readonly newest = new Map<string, NewestRevision>();
  calls = 0;

  async find(revisions: readonly string[], canonicalIds: readonly string[]): Promise<PriorTransforms> {
    this.calls += 1;
    return {
      revisions: new Map(
        revisions.filter((r) => this.revisions.has(r)).map((r) => [r, this.revisions.get(r)!]),
      ),
      newest: new Map(canonicalIds.filter((c) => this.newest.has(c)).map((c) => [c, this.newest.get(c)!])),
    };
  }
}

const clock = () => new Date('2026-11-23T12:00:00Z');
const newUseCase = (history: TransformHistory = new FakeHistory(), recent = new RecentTransforms(1000)) =>
  new TransformBatchUseCase(
    catalogue,
    new TopicNames(),
    new HubMetrics('test'),
    { maxRecordBytes: 2048 },
    history,
    recent,
    clock,
  );

describe('TransformBatchUseCase', () => {
  const useCase = newUseCase();

  it('turns a good record into a canonical record with lineage, and audits received + transformed', async () => {
    const m = message('{"ref":"PT348115,1","amount":-1250}');
    const out = await useCase.execute({ topic: m.topic, partition: 0, messages: [m] });
    const canonical = out.find((o) => o.topic === 'canonical.finance.spend')!;
    const record = JSON.parse(String(canonical.value));
    expect(record).toMatchObject({
      schema: 'hub.finance.spend.v1',
      operation: 'upsert',
      council: { slug: 'coventry', gss: 'E08000026' },
      source: {
        system: 'agresso',
        recordId: 'PT348115,1',
        eventId: m.headers.ce_id,
        topic: 'council.coventry.finance',
        partition: 0,
        offset: m.offset,
      },
      mapping: { id: 'coventry.finance.test', version: 3 },
      data: { transactionRef: 'PT348115,1', netAmountPence: -1250 },
    });
    expect(canonical.key).toBe(record.id);
    const audit = decodeAuditBatch(Buffer.from(String(out.find((o) => o.topic === 'hub.audit.v1')!.value)));
    expect(audit.map((e) => e.stage)).toEqual(['received', 'transformed']);
    expect(audit[1]).toMatchObject({
      canonicalId: record.id,
      revision: record.revision,
      detail: { mappingId: 'coventry.finance.test', mappingVersion: 3 },
    });
    expect(audit[0].detail).toMatchObject({ sizeBytes: m.value!.length, offset: m.offset });
    // The audit log keeps the payload's hash, never its content.
    expect(JSON.stringify(audit)).not.toContain('PT348115');
  });

  const cases: Array<[string, ConsumedMessage, string]> = [
    ['invalid JSON', message('{"ref": '), 'SOURCE.PARSE_ERROR'],
    ['a missing ce_id header', message('{}', { ce_id: undefined }), 'ENVELOPE.HEADER_MISSING'],
    [
      'a council publishing as another',
      message('{}', { ce_source: '/councils/solihull/agresso' }),
      'SECURITY.SOURCE_MISMATCH',
    ],
    ['an unknown system', message('{}', { ce_source: '/councils/coventry/sap' }), 'SECURITY.SOURCE_UNKNOWN'],
    ['an unknown record type', message('{}', { ce_type: 'payroll' }), 'ENVELOPE.TYPE_UNKNOWN'],
    ['an oversize record', message(`{"ref":"${'x'.repeat(3000)}"}`), 'SIZE.TOO_LARGE'],
    ['a tombstone', message(null), 'SOURCE.TOMBSTONE'],
    ['a missing required field', message('{"ref":"A1"}'), 'MAPPING.FIELD_MISSING'],
    ['a NUL byte in a value', message('{"ref":"A\\u0000B","amount":1}'), 'SOURCE.SCHEMA_INVALID'],
  ];

  it.each(cases)(
    'sends %s to the DLQ with its code, untouched, and audits the rejection',
    async (_name, m, code) => {
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
    },
  );

  it('keeps every record of a mixed batch: each ends canonical or in the DLQ', async () => {
    const messages = [message('{"ref":"A","amount":1}'), message('nope'), message('{"ref":"B","amount":2}')];
    const out = await useCase.execute({ topic: 'council.coventry.finance', partition: 0, messages });
    expect(out.filter((o) => o.topic === 'canonical.finance.spend')).toHaveLength(2);
    expect(out.filter((o) => o.topic === 'dlq.coventry.finance')).toHaveLength(1);
  });

  it('records the source event time on the transformed audit event (the order rule reads it back)', async () => {
    const m = message('{"ref":"T1","amount":1}', { ce_time: '2026-11-23T10:15:00+01:00' });
    const audit = auditOf(await useCase.execute(batchOf(m)));
    expect(audit[1].detail).toMatchObject({
      eventTime: '2026-11-23T10:15:00+01:00',
      eventTimeMs: Date.parse('2026-11-23T09:15:00Z'),
    });
  });
});

const batchOf = (...messages: ConsumedMessage[]) => ({
  topic: 'council.coventry.finance',
  partition: 0,
  messages,
});
const auditOf = (out: OutboundMessage[]) =>
  decodeAuditBatch(Buffer.from(String(out.find((o) => o.topic === 'hub.audit.v1')!.value)));
const canonicalOf = (out: OutboundMessage[]) =>
  out
    .filter((o) => o.topic === 'canonical.finance.spend')
    .map((o) => JSON.parse(String(o.value)) as { id: string; revision: string; source: { eventId: string } });
const dlqOf = (out: OutboundMessage[]) => out.filter((o) => o.topic === 'dlq.coventry.finance');
const stagesOf = (out: OutboundMessage[]) =>
  auditOf(out)
    .map((e) => e.stage)
    .filter((stage) => stage !== 'received');

/** Runs a batch and tells the use case the runner committed it, as the transactional runner does. */
async function runCommitted(
  useCase: TransformBatchUseCase,
  ...messages: ConsumedMessage[]
): Promise<OutboundMessage[]> {
  const batch = batchOf(...messages);
  const out = await useCase.execute(batch);
  useCase.committed(batch);
  return out;
}

describe('TransformBatchUseCase: a re-sent source event (same ce_id) is delivered once', () => {
  const spend = (ref: string) => `{"ref":"${ref}","amount":100}`;

  it('recognises a re-send in a later batch: audited as duplicate, linking the original; no canonical, no DLQ', async () => {
    const useCase = newUseCase();
    const first = await runCommitted(useCase, message(spend('D1'), { ce_id: 'evt-d1' }));
    const [original] = canonicalOf(first);
    const again = await runCommitted(useCase, message(spend('D1'), { ce_id: 'evt-d1' }));
    expect(canonicalOf(again)).toHaveLength(0);
    expect(dlqOf(again)).toHaveLength(0);
    const duplicate = auditOf(again).find((e) => e.stage === 'duplicate')!;
    expect(duplicate).toMatchObject({
      sourceEventId: 'evt-d1',
      canonicalId: original.id,
      revision: original.revision,
      detail: { duplicateOf: original.revision, knownFrom: 'memory' },
    });
  });

  it('delivers the same ce_id once within one batch', async () => {
    const useCase = newUseCase();
    const out = await runCommitted(
      useCase,
      message(spend('D2'), { ce_id: 'evt-d2' }),
      message(spend('D2'), { ce_id: 'evt-d2' }),
    );
    expect(canonicalOf(out)).toHaveLength(1);
    expect(stagesOf(out)).toEqual(['transformed', 'duplicate']);
    expect(auditOf(out).find((e) => e.stage === 'duplicate')!.detail.knownFrom).toBe('batch');
  });

  it('recognises a re-send the audit log knows about, e.g. after an ingest restart', async () => {
    const history = new FakeHistory();
    const before = newUseCase(history);
    const [original] = canonicalOf(await runCommitted(before, message(spend('D3'), { ce_id: 'evt-d3' })));
    history.revisions.set(original.revision, original.id);
    const restarted = newUseCase(history);
    const out = await runCommitted(restarted, message(spend('D3'), { ce_id: 'evt-d3' }));
    expect(canonicalOf(out)).toHaveLength(0);
    expect(auditOf(out).find((e) => e.stage === 'duplicate')).toMatchObject({
      canonicalId: original.id,
      detail: { knownFrom: 'audit-log' },
    });
  });

  it('does not remember a batch whose transaction was aborted: its retry is delivered', async () => {
    const useCase = newUseCase();
    const m = message(spend('D4'), { ce_id: 'evt-d4' });
    await useCase.execute(batchOf(m)); // aborted: committed() is never called
    const retry = await runCommitted(useCase, m);
    expect(canonicalOf(retry)).toHaveLength(1);
    expect(stagesOf(retry)).toEqual(['transformed']);
  });

  it('treats a re-send as a duplicate even when its payload now fails: never both canonical and DLQ', async () => {
    const useCase = newUseCase();
    await runCommitted(useCase, message(spend('D5'), { ce_id: 'evt-d5' }));
    const out = await runCommitted(useCase, message('{"ref": broken', { ce_id: 'evt-d5' }));
    expect(dlqOf(out)).toHaveLength(0);
    expect(stagesOf(out)).toEqual(['duplicate']);
  });

  it('still refuses a re-used ce_id from a source that may not publish here (security before de-duplication)', async () => {
    const useCase = newUseCase();
    await runCommitted(useCase, message(spend('D6'), { ce_id: 'evt-d6' }));
    const out = await runCommitted(
      useCase,
      message(spend('D6'), { ce_id: 'evt-d6', ce_source: '/councils/solihull/agresso' }),
    );
    expect(dlqOf(out)[0].headers).toMatchObject({ [DlqHeaders.code]: 'SECURITY.SOURCE_MISMATCH' });
  });

  it('lets a dead-lettered event through when it is replayed, and delivers a second replay once', async () => {
    const useCase = newUseCase();
    const failed = await runCommitted(useCase, message('{"ref":"D7"}', { ce_id: 'evt-d7' }));
    expect(dlqOf(failed)).toHaveLength(1);
    const replayed = await runCommitted(
      useCase,
      message(spend('D7'), { ce_id: 'evt-d7', hub_replay_of: 'dlq.coventry.finance/0/1' }),
    );
    expect(canonicalOf(replayed)).toHaveLength(1);
    const replayedAgain = await runCommitted(
      useCase,
      message(spend('D7'), { ce_id: 'evt-d7', hub_replay_of: 'dlq.coventry.finance/0/1' }),
    );
    expect(stagesOf(replayedAgain)).toEqual(['duplicate']);
  });

  it('asks the history once per batch, and not about events it remembers', async () => {
    const history = new FakeHistory();
    const useCase = newUseCase(history);
    await runCommitted(useCase, message(spend('D8'), { ce_id: 'evt-d8' }));
    const spy = jest.spyOn(history, 'find');
    await runCommitted(
      useCase,
      message(spend('D8'), { ce_id: 'evt-d8' }),
      message(spend('D9'), { ce_id: 'evt-d9' }),
      message('nope'),
    );
    expect(spy).toHaveBeenCalledTimes(1);
    const [revisions] = spy.mock.calls[0];
    expect(revisions).toHaveLength(2); // evt-d9 and the broken one's event; not the remembered evt-d8
  });

  it('fails the batch when the history cannot answer (the runner retries it; nothing is delivered unchecked)', async () => {
    const down: TransformHistory = { find: () => Promise.reject(new Error('connection refused')) };
    await expect(newUseCase(down).execute(batchOf(message(spend('D10'))))).rejects.toThrow(
      'connection refused',
    );
  });
});

describe('TransformBatchUseCase: last writer wins by ce_time per canonical record', () => {
  const at = (ref: string, ceTime: string, amount = 100) =>
    message(`{"ref":"${ref}","amount":${amount}}`, { ce_time: ceTime });

  it('supersedes an older update that arrives after a newer one: audited with both times, not delivered, no DLQ', async () => {
    const useCase = newUseCase();
    const v2 = await runCommitted(useCase, at('O1', '2026-11-23T10:05:00Z', 200));
    const [newer] = canonicalOf(v2);
    const v1 = await runCommitted(useCase, at('O1', '2026-11-23T10:00:00Z', 100));
    expect(canonicalOf(v1)).toHaveLength(0);
    expect(dlqOf(v1)).toHaveLength(0);
    expect(auditOf(v1).find((e) => e.stage === 'superseded')).toMatchObject({
      canonicalId: newer.id,
      detail: {
        eventTime: '2026-11-23T10:00:00Z',
        newerEventTime: '2026-11-23T10:05:00Z',
        newerRevision: newer.revision,
      },
    });
  });

  it('applies the rule inside one batch, comparing instants (not strings) across time zones', async () => {
    const useCase = newUseCase();
    const out = await runCommitted(
      useCase,
      at('O2', '2026-11-23T10:05:00Z'),
      at('O2', '2026-11-23T11:00:00+01:00'),
      at('O2', '2026-11-23T10:06:00Z'),
    );
    expect(stagesOf(out)).toEqual(['transformed', 'superseded', 'transformed']);
  });

  it('delivers updates with equal times (source order within the partition decides)', async () => {
    const useCase = newUseCase();
    await runCommitted(useCase, at('O3', '2026-11-23T10:00:00Z', 1));
    const out = await runCommitted(useCase, at('O3', '2026-11-23T10:00:00Z', 2));
    expect(canonicalOf(out)).toHaveLength(1);
  });

  it('uses the newest time the audit log knows when this process has no memory of the record', async () => {
    const history = new FakeHistory();
    const probe = canonicalOf(await runCommitted(newUseCase(), at('O4', '2026-11-23T09:00:00Z')))[0];
    history.newest.set(probe.id, {
      revision: 'r-newer',
      eventTime: '2026-11-23T10:00:00Z',
      eventTimeMs: Date.parse('2026-11-23T10:00:00Z'),
    });
    const out = await runCommitted(newUseCase(history), at('O4', '2026-11-23T09:30:00Z'));
    expect(stagesOf(out)).toEqual(['superseded']);
    expect(auditOf(out)[1].detail).toMatchObject({ newerRevision: 'r-newer' });
  });

  it('keeps records of different canonical ids independent', async () => {
    const useCase = newUseCase();
    await runCommitted(useCase, at('O5', '2026-11-23T10:05:00Z'));
    expect(canonicalOf(await runCommitted(useCase, at('O6', '2026-11-23T10:00:00Z')))).toHaveLength(1);
  });
});
