import {
  DeadLetterRecord,
  formatDlqCoordinate,
  headerText,
  isHubAddedHeader,
  replayMessage,
} from './replay-message';

/** A dead letter as the ingest writes it: the original record plus the hub's DLQ headers. */
const dead = (headers: DeadLetterRecord['headers']): DeadLetterRecord => ({
  topic: 'dlq.coventry.finance',
  partition: 2,
  offset: '17',
  key: Buffer.from('PT348115,1'),
  value: Buffer.from('{"voucherNo": "PT1", '),
  headers,
});

const ORIGINAL = {
  ce_specversion: Buffer.from('1.0'),
  ce_id: Buffer.from('evt-1'),
  ce_source: Buffer.from('/councils/coventry/agresso'),
  ce_type: Buffer.from('uk.gov.council.finance.spend'),
  ce_time: Buffer.from('2026-11-23T09:30:00Z'),
  'content-type': Buffer.from('application/json'),
};

const HUB_ADDED = {
  hub_error_code: Buffer.from('SOURCE.PARSE_ERROR'),
  hub_error_reason: Buffer.from('The payload is not valid JSON.'),
  hub_error_stage: Buffer.from('parse'),
  hub_source_topic: Buffer.from('council.coventry.finance'),
  hub_source_partition: Buffer.from('0'),
  hub_source_offset: Buffer.from('41'),
  hub_failed_at: Buffer.from('2026-11-23T09:30:01.000Z'),
};

describe('replaying a dead letter', () => {
  it('republishes the original key, value and CloudEvents headers to the council topic', () => {
    const out = replayMessage(dead({ ...ORIGINAL, ...HUB_ADDED }), 'council.coventry.finance', 'replay-1');
    expect(out.topic).toBe('council.coventry.finance');
    expect(out.key).toEqual(Buffer.from('PT348115,1'));
    expect(out.value).toEqual(Buffer.from('{"voucherNo": "PT1", '));
    for (const [name, value] of Object.entries(ORIGINAL)) expect(out.headers?.[name]).toEqual(value);
  });

  it('drops every hub_error_*, hub_source_* and hub_failed_at header', () => {
    const out = replayMessage(
      dead({ ...ORIGINAL, ...HUB_ADDED, hub_error_extra: 'x', HUB_SOURCE_TOPIC: 'shouty' }),
      'council.coventry.finance',
      'replay-1',
    );
    const names = Object.keys(out.headers ?? {});
    expect(names.filter((n) => /^hub_(error|source)_/i.test(n) || n === 'hub_failed_at')).toEqual([]);
  });

  it('adds hub_replay_of (the DLQ coordinates) and hub_replay_id', () => {
    const out = replayMessage(dead({ ...ORIGINAL, ...HUB_ADDED }), 'council.coventry.finance', 'replay-1');
    expect(out.headers?.hub_replay_of).toBe('dlq.coventry.finance/2/17');
    expect(out.headers?.hub_replay_id).toBe('replay-1');
    expect(Object.keys(out.headers ?? {}).sort()).toEqual(
      [...Object.keys(ORIGINAL), 'hub_replay_id', 'hub_replay_of'].sort(),
    );
  });

  it('replaces the replay headers of an earlier replay (the record failed again and became a new dead letter)', () => {
    const out = replayMessage(
      dead({
        ...ORIGINAL,
        ...HUB_ADDED,
        hub_replay_of: Buffer.from('dlq.coventry.finance/0/3'),
        hub_replay_id: Buffer.from('replay-0'),
      }),
      'council.coventry.finance',
      'replay-2',
    );
    expect(out.headers?.hub_replay_of).toBe('dlq.coventry.finance/2/17');
    expect(out.headers?.hub_replay_id).toBe('replay-2');
  });

  it('keeps repeated and other headers exactly as they were (the ingest judges them again)', () => {
    const repeated = [Buffer.from('a'), Buffer.from('b')];
    const out = replayMessage(
      dead({ ...ORIGINAL, ce_id: repeated, traceparent: '00-abc-def-01', hub_file_id: 'file-9' }),
      't',
      'r',
    );
    expect(out.headers?.ce_id).toBe(repeated);
    expect(out.headers?.traceparent).toBe('00-abc-def-01');
    expect(out.headers?.hub_file_id).toBe('file-9');
  });

  it('keeps a null key and value (tombstones are replayed as they were sent)', () => {
    const out = replayMessage({ ...dead(ORIGINAL), key: null, value: null }, 't', 'r');
    expect(out.key).toBeNull();
    expect(out.value).toBeNull();
  });

  it("names the headers it treats as the hub's", () => {
    expect(
      ['hub_error_code', 'hub_source_offset', 'hub_failed_at', 'hub_replay_of', 'hub_replay_id'].every(
        isHubAddedHeader,
      ),
    ).toBe(true);
    expect(['ce_id', 'content-type', 'hub_file_id', 'hub_file_row'].some(isHubAddedHeader)).toBe(false);
  });

  it('formats coordinates and reads header text', () => {
    expect(formatDlqCoordinate({ topic: 'ns.dlq.solihull.finance', partition: 0, offset: '9' })).toBe(
      'ns.dlq.solihull.finance/0/9',
    );
    expect(headerText({ a: [Buffer.from('1'), Buffer.from('2')], b: 'x' }, 'a')).toBe('2');
    expect(headerText({ b: 'x' }, 'b')).toBe('x');
    expect(headerText({}, 'c')).toBeUndefined();
  });
});
