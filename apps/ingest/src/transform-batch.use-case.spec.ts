import { decodeAuditBatch, payloadSha256 } from '@hub/audit';
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
import { NewestRevision, PriorTransforms, RejectedEvent, TransformHistory } from './transform-history.port';

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

/** A fake audit log: what earlier batches transformed and rejected, as the ingest's history query would find it. */
class FakeHistory implements TransformHistory {
  readonly revisions = new Map<string, string>();
  readonly newest = new Map<string, NewestRevision>();
  readonly rejections = new Map<string, RejectedEvent[]>();
  calls = 0;

  async find(revisions: readonly string[], canonicalIds: readonly string[]): Promise<PriorTransforms> {
    this.calls += 1;
    return {
      revisions: new Map(
        revisions.filter((r) => this.revisions.has(r)).map((r) => [r, this.revisions.get(r)!]),
      ),
      newest: new Map(canonicalIds.filter((c) => this.newest.has(c)).map((c) => [c, this.newest.get(c)!])),
      rejections: new Map(
        revisions.filter((r) => this.rejections.has(r)).map((r) => [r, this.rejections.get(r)!]),
      ),
    };
  }
}

const clock = () => new Date('2026-11-23T12:00:00Z');
const newUseCase = (
  history: TransformHistory = new FakeHistory(),
  recent = new RecentTransforms(1000),
  metrics = new HubMetrics('test'),
) =>
  new TransformBatchUseCase(
    catalogue,
    new TopicNames(),
    metrics,
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

/** The same records as a batch of another partition of the council topic. */
const onPartition = (partition: number, ...messages: ConsumedMessage[]) => ({
  topic: 'council.coventry.finance',
  partition,
  messages: messages.map((m) => ({ ...m, partition })),
});

/**
 * Runs several partition batches for ONE transaction, as the runner may: executed one after another,
 * then all committed (or all aborted).
 */
async function runTransaction(
  useCase: TransformBatchUseCase,
  outcome: 'commit' | 'abort',
  ...batches: Array<ReturnType<typeof onPartition>>
): Promise<OutboundMessage[][]> {
  const outs: OutboundMessage[][] = [];
  // As the runner does: the whole transaction's batches are prepared first, then executed one by one.
  await useCase.prefetch(batches);
  for (const batch of batches) outs.push(await useCase.execute(batch));
  for (const batch of batches) {
    if (outcome === 'commit') useCase.committed(batch);
    else useCase.aborted(batch);
  }
  return outs;
}

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

  it('reports how full its bounded memory of outcomes is on /metrics once a batch is committed', async () => {
    const metrics = new HubMetrics('test');
    const useCase = newUseCase(new FakeHistory(), new RecentTransforms(2), metrics);
    const gauge = async () =>
      Object.fromEntries(
        (await metrics.recentOutcomes.get()).values.map((v) => [String(v.labels.map), v.value]),
      );
    const batch = batchOf(
      message(spend('G1'), { ce_id: 'evt-g1' }),
      message(spend('G2'), { ce_id: 'evt-g2' }),
      message(spend('G3'), { ce_id: 'evt-g3' }),
    );
    await useCase.execute(batch);
    expect(await gauge()).toEqual({}); // decided, not committed: nothing remembered yet
    useCase.committed(batch);
    expect(await gauge()).toEqual({ transformed: 2, newest: 2, rejected: 0 });
    expect((await metrics.recentOutcomesCapacity.get()).values[0]!.value).toBe(2);
  });

  it("times its audit-log lookup on /metrics (part of the transaction's handle phase)", async () => {
    const metrics = new HubMetrics('test');
    const useCase = newUseCase(new FakeHistory(), new RecentTransforms(10), metrics);
    const count = async () =>
      (await metrics.historyLookup.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value;
    expect(await count()).toBe(0);
    await useCase.execute(batchOf(message(spend('L1'), { ce_id: 'evt-l1' })));
    expect(await count()).toBe(1);
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

describe('TransformBatchUseCase: several partition batches in one transaction', () => {
  const spend = (ref: string) => `{"ref":"${ref}","amount":100}`;

  it('delivers a ce_id sent on two partitions of one transaction once: one canonical, one duplicate known from the transaction', async () => {
    const useCase = newUseCase();
    const [first, second] = await runTransaction(
      useCase,
      'commit',
      onPartition(0, message(spend('T1'), { ce_id: 'evt-t1' })),
      onPartition(1, message(spend('T1'), { ce_id: 'evt-t1' })),
    );
    const [original] = canonicalOf(first);
    expect(canonicalOf(second)).toHaveLength(0);
    expect(dlqOf(second)).toHaveLength(0);
    expect(auditOf(second).find((e) => e.stage === 'duplicate')).toMatchObject({
      canonicalId: original.id,
      detail: { duplicateOf: original.revision, knownFrom: 'transaction' },
    });
  });

  it('applies the order rule across the batches of one transaction', async () => {
    const useCase = newUseCase();
    const [, older] = await runTransaction(
      useCase,
      'commit',
      onPartition(0, message(spend('T2'), { ce_time: '2026-11-23T10:05:00Z' })),
      onPartition(1, message(spend('T2'), { ce_time: '2026-11-23T10:00:00Z' })),
    );
    expect(stagesOf(older)).toEqual(['superseded']);
  });

  it('remembers every batch of a committed transaction', async () => {
    const useCase = newUseCase();
    await runTransaction(
      useCase,
      'commit',
      onPartition(0, message(spend('T3'), { ce_id: 'evt-t3' })),
      onPartition(1, message('{"ref":"T4"}', { ce_id: 'evt-t4' })),
    );
    const again = await runCommitted(
      useCase,
      message(spend('T3'), { ce_id: 'evt-t3' }),
      message('{"ref":"T4"}', { ce_id: 'evt-t4' }),
    );
    expect(stagesOf(again)).toEqual(['duplicate', 'duplicate']);
    expect(
      auditOf(again)
        .filter((e) => e.stage === 'duplicate')
        .map((e) => e.detail.knownFrom),
    ).toEqual(['memory', 'memory']);
  });

  it("drops an aborted transaction's decisions: its records, retried on any partition and in any order, are delivered once", async () => {
    const useCase = newUseCase();
    const t1 = message(spend('T5'), { ce_id: 'evt-t5' });
    const t2 = message(spend('T6'), { ce_id: 'evt-t6' });
    await runTransaction(useCase, 'abort', onPartition(0, t1), onPartition(1, t2));
    // The retry: partition 1 first, and the council's re-send of evt-t5 on it (partition 0 moved away).
    const [retried] = await runTransaction(
      useCase,
      'commit',
      onPartition(1, t2, message(spend('T5'), { ce_id: 'evt-t5' })),
    );
    expect(stagesOf(retried)).toEqual(['transformed', 'transformed']);
    expect(canonicalOf(retried)).toHaveLength(2);
  });

  it('asks the history once for all batches of a transaction, and decides exactly as batch by batch', async () => {
    const records = () => [
      onPartition(0, message(spend('P1'), { ce_id: 'evt-p1' }), message('{"ref":"P2"}', { ce_id: 'evt-p2' })),
      onPartition(1, message(spend('P1'), { ce_id: 'evt-p1' }), message(spend('P3'), { ce_id: 'evt-p3' })),
      onPartition(2, message(spend('P3'), { ce_id: 'evt-p3b', ce_time: '2026-11-23T09:00:00Z' })),
    ];
    const batched = new FakeHistory();
    const together = newUseCase(batched);
    const [first, second, third] = records();
    await together.prefetch([first, second, third]);
    const outs = [
      await together.execute(first),
      await together.execute(second),
      await together.execute(third),
    ];
    expect(batched.calls).toBe(1);

    const alone = new FakeHistory();
    const oneByOne = newUseCase(alone);
    const separate = [];
    for (const batch of records()) separate.push(await oneByOne.execute(batch));
    expect(alone.calls).toBe(3);

    expect(outs.map(stagesOf)).toEqual(separate.map(stagesOf));
    expect(outs.map(stagesOf)).toEqual([
      ['transformed', 'rejected'],
      ['duplicate', 'transformed'],
      ['superseded'],
    ]);
  });

  it('falls back to its own lookup for a batch prefetch did not prepare, and fails it when the history fails', async () => {
    const history = new FakeHistory();
    const useCase = newUseCase(history);
    const prepared = onPartition(0, message(spend('Q1'), { ce_id: 'evt-q1' }));
    const other = onPartition(0, message(spend('Q2'), { ce_id: 'evt-q2' }));
    await useCase.prefetch([prepared, onPartition(1, message(spend('Q3'), { ce_id: 'evt-q3' }))]);
    expect(stagesOf(await useCase.execute(other))).toEqual(['transformed']);
    expect(history.calls).toBe(2);
    history.find = async () => {
      throw new Error('database unavailable');
    };
    await expect(useCase.execute(onPartition(3, message(spend('Q4'))))).rejects.toThrow(
      'database unavailable',
    );
  });

  it('takes a retried batch for itself, not for a duplicate, even when the runner did not report the abort', async () => {
    const useCase = newUseCase();
    const m = message(spend('T7'), { ce_id: 'evt-t7' });
    await useCase.execute(onPartition(2, m)); // aborted, not reported
    const [retried] = await runTransaction(useCase, 'commit', onPartition(2, m));
    expect(stagesOf(retried)).toEqual(['transformed']);
  });
});

describe('TransformBatchUseCase: a re-sent rejected source event is dead-lettered once', () => {
  const broken = '{"ref":"R1"}'; // MAPPING.FIELD_MISSING: no amount
  const spend = (ref: string) => `{"ref":"${ref}","amount":100}`;

  it('audits a rejection with its revision and payload hash (what recognises an identical re-send)', async () => {
    const useCase = newUseCase();
    const m = message(broken, { ce_id: 'evt-r0' });
    const rejected = auditOf(await runCommitted(useCase, m)).find((e) => e.stage === 'rejected')!;
    expect(rejected.revision).toMatch(/^[0-9a-f-]{36}$/);
    expect(rejected.detail.payloadSha256).toBe(payloadSha256(m.value));
  });

  it('makes an identical re-send a duplicate pointing at the original rejection: one DLQ entry in all', async () => {
    const useCase = newUseCase();
    const first = await runCommitted(useCase, message(broken, { ce_id: 'evt-r1' }));
    expect(dlqOf(first)).toHaveLength(1);
    const rejection = auditOf(first).find((e) => e.stage === 'rejected')!;
    const again = await runCommitted(useCase, message(broken, { ce_id: 'evt-r1' }));
    expect(dlqOf(again)).toHaveLength(0);
    expect(canonicalOf(again)).toHaveLength(0);
    expect(stagesOf(again)).toEqual(['duplicate']);
    const duplicate = auditOf(again).find((e) => e.stage === 'duplicate')!;
    expect(duplicate).toMatchObject({
      sourceEventId: 'evt-r1',
      revision: rejection.revision,
      detail: {
        duplicateOf: rejection.revision,
        knownFrom: 'memory',
        rejectedAs: 'MAPPING.FIELD_MISSING',
        rejection: rejection.eventId,
      },
    });
    expect(duplicate.canonicalId).toBeUndefined();
  });

  it('recognises an identical copy in the same batch and in an earlier batch of the same transaction', async () => {
    const useCase = newUseCase();
    const [first, second] = await runTransaction(
      useCase,
      'commit',
      onPartition(0, message(broken, { ce_id: 'evt-r2' }), message(broken, { ce_id: 'evt-r2' })),
      onPartition(1, message(broken, { ce_id: 'evt-r2' })),
    );
    expect(dlqOf(first)).toHaveLength(1);
    expect(stagesOf(first)).toEqual(['rejected', 'duplicate']);
    expect(auditOf(first)[3].detail.knownFrom).toBe('batch');
    expect(dlqOf(second)).toHaveLength(0);
    expect(auditOf(second)[1].detail).toMatchObject({
      knownFrom: 'transaction',
      rejectedAs: 'MAPPING.FIELD_MISSING',
    });
  });

  it('recognises a rejection the audit log knows about, e.g. after an ingest restart', async () => {
    const history = new FakeHistory();
    const first = await runCommitted(newUseCase(history), message(broken, { ce_id: 'evt-r3' }));
    const rejection = auditOf(first).find((e) => e.stage === 'rejected')!;
    history.rejections.set(rejection.revision!, [
      {
        revision: rejection.revision!,
        payloadSha256: String(rejection.detail.payloadSha256),
        code: rejection.code!,
        eventId: rejection.eventId,
      },
    ]);
    const restarted = newUseCase(history);
    const out = await runCommitted(restarted, message(broken, { ce_id: 'evt-r3' }));
    expect(dlqOf(out)).toHaveLength(0);
    expect(auditOf(out)[1].detail).toMatchObject({ knownFrom: 'audit-log', rejection: rejection.eventId });
    // The audit log's rejection is of that payload only: a corrected one is processed.
    const corrected = await runCommitted(restarted, message(spend('R3'), { ce_id: 'evt-r3' }));
    expect(stagesOf(corrected)).toEqual(['transformed']);
  });

  it('processes a corrected re-send (same ce_id, different payload) afresh', async () => {
    const useCase = newUseCase();
    await runCommitted(useCase, message(broken, { ce_id: 'evt-r4' }));
    const corrected = await runCommitted(useCase, message(spend('R4'), { ce_id: 'evt-r4' }));
    expect(stagesOf(corrected)).toEqual(['transformed']);
    // ...and a correction that still fails is a new dead letter of its own.
    await runCommitted(useCase, message(broken, { ce_id: 'evt-r5' }));
    const stillBroken = await runCommitted(
      useCase,
      message('{"ref":"R5","amount":"x"}', { ce_id: 'evt-r5' }),
    );
    expect(dlqOf(stillBroken)).toHaveLength(1);
  });

  it('lets a DLQ replay of a rejected event through, even with the same bytes: the replay is the fix', async () => {
    const useCase = newUseCase();
    const bytes = spend('R6');
    const failed = await runCommitted(useCase, message(bytes, { ce_id: 'evt-r6', ce_type: 'payroll' }));
    expect(dlqOf(failed)).toHaveLength(1);
    const replay = { ce_id: 'evt-r6', hub_replay_of: 'dlq.coventry.finance/0/6' };
    // A replay that fails again is dead-lettered again (the console shows the new attempt)...
    const failedAgain = await runCommitted(useCase, message(bytes, { ...replay, ce_type: 'payroll' }));
    expect(dlqOf(failedAgain)).toHaveLength(1);
    // ...and one that succeeds is delivered; after it, the event is a transformed duplicate as any other.
    expect(canonicalOf(await runCommitted(useCase, message(bytes, replay)))).toHaveLength(1);
    expect(stagesOf(await runCommitted(useCase, message(bytes, replay)))).toEqual(['duplicate']);
  });

  it('keeps an identical plain re-send a duplicate even when it would now be accepted: never both dead-lettered and delivered', async () => {
    const useCase = newUseCase();
    const bytes = spend('R7');
    await runCommitted(useCase, message(bytes, { ce_id: 'evt-r7', ce_type: 'payroll' }));
    const out = await runCommitted(useCase, message(bytes, { ce_id: 'evt-r7' }));
    expect(canonicalOf(out)).toHaveLength(0);
    expect(auditOf(out)[1].detail).toMatchObject({ rejectedAs: 'ENVELOPE.TYPE_UNKNOWN' });
  });

  it('still dead-letters every copy of a record refused before its source event is established (no trusted ce_id)', async () => {
    const useCase = newUseCase();
    const unknownSystem = { ce_id: 'evt-r8', ce_source: '/councils/coventry/sap' };
    await runCommitted(useCase, message(spend('R8'), unknownSystem));
    const again = await runCommitted(useCase, message(spend('R8'), unknownSystem));
    expect(dlqOf(again)).toHaveLength(1);
    expect(auditOf(again).find((e) => e.stage === 'rejected')!.revision).toBeUndefined();
  });

  it('does not remember a rejection whose transaction was aborted: an identical copy is dead-lettered', async () => {
    const useCase = newUseCase();
    await runTransaction(useCase, 'abort', onPartition(0, message(broken, { ce_id: 'evt-r9' })));
    const [out] = await runTransaction(
      useCase,
      'commit',
      onPartition(1, message(broken, { ce_id: 'evt-r9' })),
    );
    expect(dlqOf(out)).toHaveLength(1);
  });
});
