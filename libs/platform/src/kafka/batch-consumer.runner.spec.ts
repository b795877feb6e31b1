import { ConsumedMessage } from './kafka-message';
import {
  PartitionedMessage,
  assertWrittenExactlyOnce,
  produceRequests,
  splitIntoTransactions,
} from './batch-consumer.runner';
import type { RecordMetadata } from 'kafkajs';

function consumed(offset: number, bytes: number): ConsumedMessage {
  return {
    topic: 't',
    partition: 0,
    offset: String(offset),
    key: null,
    value: Buffer.alloc(bytes),
    headers: {},
    rawHeaders: {},
    timestamp: '0',
  };
}

describe('splitIntoTransactions', () => {
  it('caps records per transaction and keeps offset order', () => {
    const chunks = splitIntoTransactions(
      Array.from({ length: 7 }, (_, i) => consumed(i, 10)),
      { maxRecords: 3, maxBytes: 1_000 },
    );
    expect(chunks.map((c) => c.map((m) => m.offset))).toEqual([['0', '1', '2'], ['3', '4', '5'], ['6']]);
  });

  it('caps input bytes per transaction, but never leaves a record behind for being large', () => {
    const chunks = splitIntoTransactions(
      [consumed(0, 60), consumed(1, 60), consumed(2, 500), consumed(3, 10)],
      {
        maxRecords: 100,
        maxBytes: 100,
      },
    );
    expect(chunks.map((c) => c.map((m) => m.offset))).toEqual([['0'], ['1'], ['2'], ['3']]);
  });

  it('returns the batch whole when it is within the limits', () => {
    expect(
      splitIntoTransactions([consumed(5, 1), consumed(6, 1)], { maxRecords: 10, maxBytes: 10 }),
    ).toHaveLength(1);
  });
});

describe('produceRequests', () => {
  const out = (bytes: number, topic = 'canonical', partition = 0): PartitionedMessage => ({
    topic,
    partition,
    key: 'k',
    value: 'x'.repeat(bytes),
    headers: { h: 'v' },
  });
  const shape = (requests: PartitionedMessage[][]) =>
    requests.map((r) => r.map((m) => `${m.topic}:${m.partition}:${String(m.value).length}`));

  it("puts every partition in one request while they fit, in the outputs' order", () => {
    const requests = produceRequests([
      out(1, 'canonical', 0),
      out(2, 'canonical', 1),
      out(3, 'canonical', 0),
      out(4, 'audit', 0),
    ]);
    expect(shape(requests)).toEqual([['canonical:0:1', 'canonical:1:2', 'canonical:0:3', 'audit:0:4']]);
  });

  it("starts a new request at the byte limit, keeping each partition's order across requests", () => {
    const requests = produceRequests(
      [out(40, 'canonical', 0), out(40, 'canonical', 1), out(40, 'canonical', 0)],
      { maxBytes: 100 },
    );
    expect(shape(requests)).toEqual([['canonical:0:40', 'canonical:1:40'], ['canonical:0:40']]);
  });

  it('sends one partition per request when asked (kafkajs without the patch), in order within it', () => {
    const requests = produceRequests(
      [out(1, 'canonical', 0), out(2, 'canonical', 1), out(3, 'canonical', 0), out(4, 'audit', 0)],
      { onePartitionPerRequest: true },
    );
    expect(shape(requests)).toEqual([['canonical:0:1', 'canonical:0:3'], ['canonical:1:2'], ['audit:0:4']]);
  });

  it('splits a partition into requests below the byte limit', () => {
    expect(
      produceRequests([out(40), out(40), out(40)], { maxBytes: 100, onePartitionPerRequest: true }).map(
        (r) => r.length,
      ),
    ).toEqual([2, 1]);
    expect(produceRequests([out(40), out(40), out(40)], { maxBytes: 100 }).map((r) => r.length)).toEqual([
      2, 1,
    ]);
  });

  it('sends an output larger than the limit on its own rather than dropping it', () => {
    expect(produceRequests([out(10), out(500), out(10)], { maxBytes: 100 }).map((r) => r.length)).toEqual([
      1, 1, 1,
    ]);
  });

  it('sends nothing for no outputs', () => {
    expect(produceRequests([])).toEqual([]);
  });
});

describe('assertWrittenExactlyOnce', () => {
  const sent = (topic: string, partition: number): PartitionedMessage => ({
    topic,
    partition,
    key: null,
    value: 'v',
  });
  const ack = (topicName: string, partition: number): RecordMetadata => ({
    topicName,
    partition,
    errorCode: 0,
  });

  it('accepts an answer naming every partition of the request once', () => {
    expect(() =>
      assertWrittenExactlyOnce([sent('a', 0), sent('a', 0), sent('b', 1)], [ack('a', 0), ack('b', 1)]),
    ).not.toThrow();
  });

  it('aborts when a partition was acknowledged without being written (missing from the answer)', () => {
    expect(() => assertWrittenExactlyOnce([sent('a', 0), sent('b', 1)], [ack('a', 0)])).toThrow(
      /without writing to b:1/,
    );
  });

  it('aborts when a partition was written twice (answered twice)', () => {
    expect(() => assertWrittenExactlyOnce([sent('a', 0)], [ack('a', 0), ack('a', 0)])).toThrow(
      /wrote a:0 twice/,
    );
  });
});
