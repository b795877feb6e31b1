import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { DeadLetterView, ReplayTrace, decodeAuditBatch, findReplayTraces, listDeadLetters } from '@hub/audit';
import { TopicNames } from '@hub/platform';
import { Principal } from '../auth/principal';
import { DeadLetterLocator } from './dead-letter.locator';
import { DeadLetterRecord } from './replay-message';
import { ReplayDeadLettersUseCase } from './replay-dead-letters.use-case';

jest.mock('@hub/audit', () => ({
  ...jest.requireActual('@hub/audit'),
  listDeadLetters: jest.fn(),
  findReplayTraces: jest.fn(),
}));
const list = listDeadLetters as jest.MockedFunction<typeof listDeadLetters>;
const traces = findReplayTraces as jest.MockedFunction<typeof findReplayTraces>;

const topics = new TopicNames('');
const ops: Principal = { name: 'ops-1', roles: ['ops'] };
const coventry: Principal = { name: 'cov-1', roles: ['council'], council: 'coventry' };

const deadLetter = (id: string, over: Partial<DeadLetterView> = {}): DeadLetterView => ({
  id,
  council: 'coventry',
  domain: 'finance',
  code: 'SOURCE.PARSE_ERROR',
  reason: 'The payload is not valid JSON.',
  failedStage: 'parse',
  sourceEventId: `ce-${id}`,
  fileId: null,
  receivedAt: '2026-11-23T10:00:00.000Z',
  recordedAt: '2026-11-23T10:00:01.000Z',
  dlqTopic: 'dlq.coventry.finance',
  sourceTopic: 'council.coventry.finance',
  sourcePartition: 0,
  sourceOffset: id.length.toString(),
  replay: null,
  ...over,
});

const record = (offset: string): DeadLetterRecord => ({
  topic: 'dlq.coventry.finance',
  partition: 1,
  offset,
  key: Buffer.from('k'),
  value: Buffer.from('{'),
  headers: { ce_id: Buffer.from('ce'), hub_error_code: Buffer.from('SOURCE.PARSE_ERROR') },
});

interface Sent {
  topicMessages: Array<{
    topic: string;
    messages: Array<{ key: unknown; value: string | Buffer | null; headers?: Record<string, unknown> }>;
  }>;
}

function setUp(found: Record<string, DeadLetterRecord>) {
  const sent: Sent[] = [];
  let commits = 0;
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    transaction: async () => ({
      sendBatch: async (batch: Sent) => void sent.push(batch),
      commit: async () => void commits++,
      abort: async () => undefined,
    }),
  };
  const kafka = { producer: () => producer } as unknown as Kafka;
  const locator = { locate: async () => new Map(Object.entries(found)) } as unknown as DeadLetterLocator;
  const useCase = new ReplayDeadLettersUseCase({
    pool: {} as Pool,
    kafka,
    topics,
    locator,
    transactionalId: 'tx',
    clock: () => new Date('2026-11-23T12:00:00Z'),
  });
  return { useCase, sent, commits: () => commits };
}

describe('replaying dead letters', () => {
  beforeEach(() => {
    list.mockReset();
    traces.mockReset();
    traces.mockResolvedValue([]);
  });

  it('republishes the original record and a replayed audit event in one transaction', async () => {
    list.mockResolvedValue({ deadLetters: [deadLetter('a')], nextCursor: null });
    const { useCase, sent, commits } = setUp({ a: record('7') });
    const report = await useCase.execute(ops, { ids: ['a'] });

    expect(report).toMatchObject({ requested: 1, replayed: 1, skipped: 0, truncated: false });
    expect(report.results[0]).toEqual({
      id: 'a',
      outcome: 'replayed',
      replayOf: 'dlq.coventry.finance/1/7',
      targetTopic: 'council.coventry.finance',
    });
    expect(commits()).toBe(1);
    const [batch] = sent;
    const [republished, audit] = batch.topicMessages;
    expect(republished.topic).toBe('council.coventry.finance');
    expect(republished.messages[0].headers).toEqual({
      ce_id: Buffer.from('ce'),
      hub_replay_of: 'dlq.coventry.finance/1/7',
      hub_replay_id: report.replayId,
    });
    expect(audit.topic).toBe('hub.audit.v1');
    const [event] = decodeAuditBatch(Buffer.from(audit.messages[0].value as string));
    expect(event).toMatchObject({
      stage: 'replayed',
      actor: 'person:ops-1',
      council: 'coventry',
      domain: 'finance',
      sourceEventId: 'ce-a',
      code: 'SOURCE.PARSE_ERROR',
      detail: {
        replayOf: 'dlq.coventry.finance/1/7',
        replayId: report.replayId,
        originalEventId: 'a',
        targetTopic: 'council.coventry.finance',
      },
    });
  });

  it('skips a dead letter the audit log already shows as replayed, without reading Kafka', async () => {
    list.mockResolvedValue({
      deadLetters: [
        deadLetter('a', {
          replay: {
            replayId: 'r0',
            replayOf: 'dlq.coventry.finance/1/7',
            replayedAt: '2026-11-23T11:00:00Z',
            actor: 'person:x',
          },
        }),
      ],
      nextCursor: null,
    });
    const { useCase, sent } = setUp({});
    const report = await useCase.execute(ops, { ids: ['a'] });
    expect(report).toMatchObject({ replayed: 0, skipped: 1, skippedByReason: { 'already-replayed': 1 } });
    expect(sent).toEqual([]);
  });

  it('replays the same dead letter once when asked twice before the audit log has caught up', async () => {
    list.mockResolvedValue({ deadLetters: [deadLetter('a')], nextCursor: null });
    const { useCase, sent } = setUp({ a: record('7') });
    const [first, second] = await Promise.all([
      useCase.execute(ops, { ids: ['a'] }),
      useCase.execute(ops, { ids: ['a'] }),
    ]);
    expect([first.replayed, second.replayed]).toEqual([1, 0]);
    expect(second.results[0]).toMatchObject({ outcome: 'skipped', reason: 'already-replayed' });
    expect(sent).toHaveLength(1);
  });

  it('skips a dead letter whose coordinates already came back through the ingest', async () => {
    list.mockResolvedValue({ deadLetters: [deadLetter('a')], nextCursor: null });
    const trace: ReplayTrace = {
      replayOf: 'dlq.coventry.finance/1/7',
      stage: 'received',
      replayId: null,
      occurredAt: '2026-11-23T11:00:00Z',
    };
    traces.mockResolvedValue([trace]);
    const { useCase, sent } = setUp({ a: record('7') });
    const report = await useCase.execute(ops, { ids: ['a'] });
    expect(report.results[0]).toMatchObject({
      outcome: 'skipped',
      reason: 'already-replayed',
      replayOf: 'dlq.coventry.finance/1/7',
    });
    expect(sent).toEqual([]);
  });

  it('reports ids it cannot see, records gone from the DLQ and records from another topic', async () => {
    list.mockResolvedValue({
      deadLetters: [deadLetter('gone'), deadLetter('moved', { sourceTopic: 'council.solihull.finance' })],
      nextCursor: null,
    });
    const { useCase } = setUp({});
    const report = await useCase.execute(ops, { ids: ['unknown', 'gone', 'moved'] });
    expect(report.results.map((r) => [r.id, r.reason])).toEqual([
      ['unknown', 'not-found'],
      ['gone', 'not-in-dlq'],
      ['moved', 'source-mismatch'],
    ]);
    expect(report).toMatchObject({
      requested: 3,
      replayed: 0,
      skipped: 3,
      skippedByReason: { 'not-found': 1, 'not-in-dlq': 1, 'source-mismatch': 1 },
    });
  });

  it("scopes a council's request to its own dead letters", async () => {
    list.mockResolvedValue({ deadLetters: [], nextCursor: null });
    const { useCase } = setUp({});
    await useCase.execute(coventry, { ids: ['a'] });
    expect(list).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ ids: ['a'], council: 'coventry' }),
    );
    const report = await useCase.execute(coventry, { filter: { council: 'solihull' } });
    expect(report.requested).toBe(0);
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('replays pending dead letters matching a filter and says when more remain', async () => {
    list.mockResolvedValue({ deadLetters: [deadLetter('a'), deadLetter('bb')], nextCursor: 'more' });
    const { useCase } = setUp({ a: record('7'), bb: record('8') });
    const report = await useCase.execute(ops, {
      filter: { council: 'coventry', code: 'SOURCE.PARSE_ERROR' },
    });
    expect(list).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        council: 'coventry',
        code: 'SOURCE.PARSE_ERROR',
        state: 'pending',
        limit: 500,
      }),
    );
    expect(report).toMatchObject({ requested: 2, replayed: 2, truncated: true });
  });
});
