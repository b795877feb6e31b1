import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { AuditEvent, decodeAuditBatch, findReplayTraces } from '@hub/audit';
import { TopicNames } from '@hub/platform';
import { HttpDestination } from '@hub/routing';
import { Principal } from '../auth/principal';
import { DeadLetterRecord } from '../dlq/replay-message';
import { ReplayDestinationDeadLettersUseCase } from './replay-destination-dead-letters.use-case';

jest.mock('@hub/audit', () => ({
  ...jest.requireActual('@hub/audit'),
  findReplayTraces: jest.fn(),
}));
const traces = findReplayTraces as jest.MockedFunction<typeof findReplayTraces>;

const topics = new TopicNames('ns.');
const ops: Principal = { name: 'ops-1', roles: ['ops'] };
const webhook: HttpDestination = { id: 'ssc-cc', kind: 'http', url: 'http://ssc.example/cc' };
const DLQ = topics.destinationDlq('ssc-cc');

const record = (offset: string, deliveryId: string): DeadLetterRecord => ({
  topic: DLQ,
  partition: 0,
  offset,
  key: Buffer.from(`case-${deliveryId}`),
  value: Buffer.from(
    JSON.stringify({
      schema: 'hub.crm.case.v1',
      id: `case-${deliveryId}`,
      revision: `rev-${deliveryId}`,
      council: { slug: 'coventry' },
      source: { eventId: `ce-${deliveryId}` },
    }),
  ),
  headers: {
    hub_delivery_id: deliveryId,
    hub_error_code: 'DELIVERY.REJECTED',
    hub_delivery_attempts: '1',
  },
});

interface Sent {
  topicMessages: Array<{
    topic: string;
    messages: Array<{ key: unknown; value: string | Buffer | null; headers?: Record<string, unknown> }>;
  }>;
}

function setUp(records: DeadLetterRecord[]) {
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
  const useCase = new ReplayDestinationDeadLettersUseCase({
    pool: {} as Pool,
    kafka: { producer: () => producer } as unknown as Kafka,
    topics,
    destinations: [webhook],
    reader: { readAll: async () => records },
    transactionalId: 'tx',
    clock: () => new Date('2026-11-23T12:00:00Z'),
  });
  return { useCase, sent, commits: () => commits };
}

describe('replaying a destination DLQ', () => {
  beforeEach(() => {
    traces.mockReset();
    traces.mockResolvedValue([]);
  });

  it('republishes to the delivery topic and audits `replayed` in ONE transaction', async () => {
    const { useCase, sent, commits } = setUp([record('3', 'd-1')]);
    const report = await useCase.replay(ops, webhook);
    expect(report).toMatchObject({
      replayed: 1,
      skipped: [],
      items: [{ deliveryId: 'd-1', replayOf: `${DLQ}/0/3` }],
    });
    expect(commits()).toBe(1);
    const [delivery, audit] = sent[0].topicMessages;
    expect(delivery.topic).toBe(topics.delivery('ssc-cc'));
    expect(delivery.messages[0].headers).toEqual({
      hub_delivery_id: 'd-1',
      hub_replay_of: `${DLQ}/0/3`,
      hub_replay_id: report.replayId,
    });
    expect(audit.topic).toBe(topics.audit);
    const [event] = decodeAuditBatch(audit.messages[0].value as Buffer) as AuditEvent[];
    expect(event).toMatchObject({
      stage: 'replayed',
      actor: 'person:ops-1',
      deliveryId: 'd-1',
      canonicalId: 'case-d-1',
      revision: 'rev-d-1',
      sourceEventId: 'ce-d-1',
      council: 'coventry',
      detail: { destination: 'ssc-cc', replayOf: `${DLQ}/0/3`, replayId: report.replayId },
    });
  });

  it('skips a dead letter the audit log shows replayed, and one this console just replayed', async () => {
    const { useCase, sent } = setUp([record('3', 'd-1'), record('4', 'd-2')]);
    traces.mockResolvedValueOnce([
      { replayOf: `${DLQ}/0/3`, stage: 'replayed', replayId: 'r-0', occurredAt: '2026-11-23T11:00:00Z' },
    ]);
    const first = await useCase.replay(ops, webhook);
    expect(first.replayed).toBe(1);
    expect(first.skipped).toEqual([
      expect.objectContaining({ deliveryId: 'd-1', reason: 'already-replayed' }),
    ]);
    // The audit writer has not caught up yet: the ledger still knows.
    const second = await useCase.replay(ops, webhook, ['d-2']);
    expect(second.replayed).toBe(0);
    expect(second.skipped).toEqual([
      expect.objectContaining({ deliveryId: 'd-2', reason: 'already-replayed' }),
    ]);
    expect(sent).toHaveLength(1);
  });

  it('lists dead letters with their replay state and no payload', async () => {
    const { useCase } = setUp([record('3', 'd-1')]);
    const list = await useCase.list(webhook);
    expect(list).toMatchObject({ destination: 'ssc-cc', dlqTopic: DLQ, total: 1, pending: 1 });
    expect(list.deadLetters[0]).toEqual({
      deliveryId: 'd-1',
      canonicalId: 'case-d-1',
      revision: 'rev-d-1',
      code: 'DELIVERY.REJECTED',
      reason: null,
      attempts: 1,
      status: null,
      failedAt: null,
      dlqCoordinate: `${DLQ}/0/3`,
      replayed: false,
      replayId: null,
    });
  });
});
