import { DeadLetterRecord } from '../dlq/replay-message';
import {
  DestinationDeadLetter,
  describeDestinationDeadLetter,
  destinationReplayMessage,
  parseDestinationReplayRequest,
  planDestinationReplay,
} from './destination-dead-letter.rules';

const DLQ = 'hub.dlq.destination.ssc-contact-centre-webhook';

const DELIVERY = {
  hub_delivery_id: 'd-1',
  hub_route_id: 'cases-to-contact-centre-webhook',
  hub_agreement_id: 'dsa-cswp-customer-2026',
  hub_destination: 'ssc-contact-centre-webhook',
  hub_schema: 'hub.crm.case.v1',
};
const DLQ_ADDED = {
  hub_error_code: 'DELIVERY.REJECTED',
  hub_error_reason: 'Destination ssc-contact-centre-webhook refused the record with HTTP 400; ...',
  hub_error_stage: 'delivery',
  hub_source_topic: 'hub.delivery.ssc-contact-centre-webhook',
  hub_source_partition: '0',
  hub_source_offset: '4',
  hub_failed_at: '2026-11-23T10:00:00.000Z',
  hub_delivery_attempts: '1',
  hub_delivery_status: '400',
};
const BODY = Buffer.from(
  JSON.stringify({
    schema: 'hub.crm.case.v1',
    id: 'case-1',
    revision: 'rev-1',
    council: { slug: 'coventry' },
    source: { eventId: 'ce-1' },
    data: { customer: { fullName: 'Aisha Rahman' } },
  }),
);

const record = (
  offset: string,
  headers: DeadLetterRecord['headers'] = {},
  partition = 0,
): DeadLetterRecord => ({
  topic: DLQ,
  partition,
  offset,
  key: Buffer.from('case-1'),
  value: BODY,
  headers: { ...DELIVERY, ...DLQ_ADDED, ...headers },
});

const dead = (deliveryId: string, offset: string): DestinationDeadLetter =>
  describeDestinationDeadLetter(record(offset, { hub_delivery_id: deliveryId }));

describe('a destination dead letter', () => {
  it('is described by identifiers, code, reason, attempts and time, never its data', () => {
    const d = describeDestinationDeadLetter(record('7', { hub_delivery_attempts: Buffer.from('1') }));
    expect(d).toMatchObject({
      coordinate: `${DLQ}/0/7`,
      deliveryId: 'd-1',
      canonicalId: 'case-1',
      revision: 'rev-1',
      sourceEventId: 'ce-1',
      council: 'coventry',
      domain: 'crm',
      entity: 'crm.case',
      code: 'DELIVERY.REJECTED',
      attempts: 1,
      status: 400,
      failedAt: '2026-11-23T10:00:00.000Z',
    });
  });

  it('falls back to its coordinates when it has no delivery id (and to nulls for a body that is not JSON)', () => {
    const { hub_delivery_id: _ignored, ...withoutId } = DELIVERY;
    const d = describeDestinationDeadLetter({
      ...record('3'),
      headers: { ...withoutId },
      value: Buffer.from('{'),
    });
    expect(d).toMatchObject({ deliveryId: `${DLQ}/0/3`, canonicalId: null, revision: null, attempts: null });
  });
});

describe('replaying a destination dead letter', () => {
  it('republishes the original key, value and delivery headers to the delivery topic', () => {
    const out = destinationReplayMessage(record('7'), 'hub.delivery.ssc-contact-centre-webhook', 'replay-1');
    expect(out.topic).toBe('hub.delivery.ssc-contact-centre-webhook');
    expect(out.key).toEqual(Buffer.from('case-1'));
    expect(out.value).toBe(BODY);
    expect(out.headers).toEqual({
      ...DELIVERY,
      hub_replay_of: `${DLQ}/0/7`,
      hub_replay_id: 'replay-1',
    });
  });

  it("drops hub_error_*, hub_source_*, hub_failed_at, the worker's attempts and status, and an earlier replay's headers", () => {
    const out = destinationReplayMessage(
      record('9', {
        HUB_DELIVERY_ATTEMPTS: '6',
        hub_replay_of: `${DLQ}/0/2`,
        hub_replay_id: 'replay-0',
        traceparent: '00-abc-def-01',
      }),
      't',
      'replay-2',
    );
    const names = Object.keys(out.headers ?? {});
    expect(
      names.filter((n) => /^hub_(error|source)_|^hub_failed_at$|^hub_delivery_(attempts|status)$/i.test(n)),
    ).toEqual([]);
    expect(out.headers).toMatchObject({
      hub_delivery_id: 'd-1',
      traceparent: '00-abc-def-01',
      hub_replay_of: `${DLQ}/0/9`,
      hub_replay_id: 'replay-2',
    });
  });
});

describe('choosing what to replay', () => {
  const none = () => undefined;

  it('replays every dead letter not yet replayed when no ids are given', () => {
    const plan = planDestinationReplay([dead('a', '1'), dead('b', '2')], none);
    expect(plan.toReplay.map((d) => d.deliveryId)).toEqual(['a', 'b']);
    expect(plan.skipped).toEqual([]);
  });

  it('skips one already replayed (audit log or ledger), naming the earlier replay', () => {
    const replayed = new Map([[`${DLQ}/0/1`, 'replay-0']]);
    const plan = planDestinationReplay([dead('a', '1'), dead('b', '2')], (c) => replayed.get(c));
    expect(plan.toReplay.map((d) => d.deliveryId)).toEqual(['b']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        deliveryId: 'a',
        reason: 'already-replayed',
        replayOf: `${DLQ}/0/1`,
        earlierReplayId: 'replay-0',
      }),
    ]);
  });

  it('counts a replay whose id is unknown (empty) as a replay', () => {
    const plan = planDestinationReplay([dead('a', '1')], () => '');
    expect(plan.toReplay).toEqual([]);
    expect(plan.skipped[0]).toMatchObject({
      reason: 'already-replayed',
      message: expect.not.stringMatching(/\(replay/),
    });
  });

  it('replays only the latest pending dead letter of a delivery id refused again after a replay', () => {
    const replayed = new Set([`${DLQ}/0/1`]);
    const plan = planDestinationReplay([dead('a', '1'), dead('a', '5')], (c) =>
      replayed.has(c) ? 'replay-0' : undefined,
    );
    expect(plan.toReplay.map((d) => d.coordinate)).toEqual([`${DLQ}/0/5`]);
    expect(plan.skipped).toEqual([]);
  });

  it('replays one per delivery id even when several are pending', () => {
    const plan = planDestinationReplay([dead('a', '1'), dead('a', '5')], none);
    expect(plan.toReplay.map((d) => d.coordinate)).toEqual([`${DLQ}/0/5`]);
  });

  it('takes the ids asked for, in order, once each, and reports unknown ones', () => {
    const plan = planDestinationReplay([dead('a', '1'), dead('b', '2'), dead('c', '3')], none, [
      'c',
      'zzz',
      'a',
      'c',
    ]);
    expect(plan.toReplay.map((d) => d.deliveryId)).toEqual(['c', 'a']);
    expect(plan.skipped).toEqual([expect.objectContaining({ deliveryId: 'zzz', reason: 'not-found' })]);
  });

  it('replays at most the limit and reports the rest', () => {
    const plan = planDestinationReplay([dead('a', '1'), dead('b', '2'), dead('c', '3')], none, undefined, 2);
    expect(plan.toReplay.map((d) => d.deliveryId)).toEqual(['a', 'b']);
    expect(plan.skipped).toEqual([expect.objectContaining({ deliveryId: 'c', reason: 'limit' })]);
  });
});

describe('the replay request', () => {
  it.each([undefined, null, {}])('takes %j as "every pending dead letter"', (body) =>
    expect(parseDestinationReplayRequest(body)).toEqual({ ok: true }),
  );

  it('takes delivery ids', () =>
    expect(parseDestinationReplayRequest({ deliveryIds: ['a', 'b'] })).toEqual({
      ok: true,
      deliveryIds: ['a', 'b'],
    }));

  it.each([
    [[], /JSON object/],
    [{ deliveryIds: [] }, /1 to 500/],
    [{ deliveryIds: 'a' }, /1 to 500/],
    [{ deliveryIds: new Array(501).fill('a') }, /1 to 500/],
    [{ deliveryIds: ['a', 7, ''] }, /2 do not/],
    [{ ids: ['a'] }, /does not take ids/],
  ])('refuses %j', (body, message) => {
    const parsed = parseDestinationReplayRequest(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});
