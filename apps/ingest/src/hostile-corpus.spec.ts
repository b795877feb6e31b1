import { HubMetrics, DlqHeaders, TopicNames, decodeHeaders } from '@hub/platform';
import {
  HostileCase,
  loadHostileCorpus,
  valueAtPath,
} from '../../../test/fixtures/hostile/hostile-corpus.loader';
import { loadFeedCatalogue } from './feed-catalogue.adapter';
import { TransformBatchUseCase } from './transform-batch.use-case';
import { PriorTransforms, TransformHistory } from './transform-history.port';

/** Nothing transformed before: every case is new to the hub. */
const noHistory: TransformHistory = {
  find: async (): Promise<PriorTransforms> => ({
    revisions: new Map(),
    newest: new Map(),
    rejections: new Map(),
  }),
};

/**
 * The hostile corpus (test/fixtures/hostile) through the real ingest use case, real partnership
 * configuration and real mappings, without Kafka: a mis-classified case shows here in milliseconds.
 * test/e2e/council-systems-send-hostile-input.e2e.ts sends the same corpus through the running hub.
 */
describe('the hostile input corpus through the ingest use case', () => {
  const corpus = loadHostileCorpus('unit');
  const topics = new TopicNames();
  const useCase = new TransformBatchUseCase(
    loadFeedCatalogue(),
    topics,
    new HubMetrics('test'),
    { maxRecordBytes: corpus.maxRecordBytes },
    noHistory,
  );

  async function run(c: HostileCase, offset: number) {
    const topic = topics.council(c.council, c.domain);
    const message = {
      topic,
      partition: 0,
      offset: String(offset),
      key: c.key,
      value: c.value,
      headers: decodeHeaders(c.headers),
      rawHeaders: c.headers,
      timestamp: '0',
    };
    const batch = { topic, partition: 0, messages: [message] };
    const out = await useCase.execute(batch);
    // Nothing is produced here: each case is decided as new, not as a re-send of an earlier case.
    useCase.aborted(batch);
    return {
      canonical: out.filter((o) => o.topic.startsWith('canonical.')),
      dlq: out.filter((o) => o.topic === topics.dlq(c.council, c.domain)),
      other: out.filter(
        (o) =>
          !o.topic.startsWith('canonical.') &&
          o.topic !== topics.dlq(c.council, c.domain) &&
          o.topic !== topics.audit,
      ),
    };
  }

  it('holds at least 60 cases, covering every category the issue names', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.cases.map((c) => c.category))).toEqual(
      new Set([
        'malformed-json',
        'malformed-xml',
        'malformed-csv',
        'encoding',
        'headers',
        'security',
        'size',
        'nesting',
        'long-strings',
        'control-characters',
        'injection-carried',
        'injection-refused',
        'xxe',
        'wrong-types',
        'impossible-values',
        'unknown-types',
        'empty',
        'tombstones',
      ]),
    );
  });

  it.each(corpus.cases.map((c, i) => [c.name, c.expect, c, i] as const))(
    '%s → %s',
    async (_name, expected, c, i) => {
      const { canonical, dlq, other } = await run(c, i);
      expect(other).toEqual([]);
      if (expected === 'canonical') {
        expect(
          dlq.map((d) => `${String(d.headers![DlqHeaders.code])}: ${String(d.headers![DlqHeaders.reason])}`),
        ).toEqual([]);
        expect(canonical).toHaveLength(1);
        const record: unknown = JSON.parse(String(canonical[0].value));
        expect(valueAtPath(record, c.preserved!.path)).toBe(c.preserved!.value);
        if (c.absent) expect(String(canonical[0].value)).not.toContain(c.absent);
      } else {
        expect(canonical).toHaveLength(0);
        expect(dlq).toHaveLength(1);
        expect({
          code: dlq[0].headers![DlqHeaders.code],
          reason: dlq[0].headers![DlqHeaders.reason],
        }).toEqual({
          code: expected,
          reason: expect.stringMatching(/\S{3}/),
        });
        expect(dlq[0].value).toBe(c.value);
        expect(dlq[0].key).toBe(c.key);
      }
    },
  );

  it('leaves no prototype polluted', () => {
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
