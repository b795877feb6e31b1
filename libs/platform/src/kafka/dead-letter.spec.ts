import { DlqHeaders } from './cloud-event.headers';
import { deadLetter } from './dead-letter';
import { ConsumedMessage } from './kafka-message';

describe('deadLetter', () => {
  it('keeps the original key, bytes and headers and adds the CONTRACT error headers', () => {
    const original: ConsumedMessage = {
      topic: 'council.coventry.finance',
      partition: 2,
      offset: '17',
      key: Buffer.from('PT1'),
      value: Buffer.from([0x7b, 0xff, 0x00]),
      headers: { ce_id: 'x' },
      rawHeaders: { ce_id: Buffer.from('x'), hub_error_code: 'FORGED' },
      timestamp: '0',
    };
    const dlq = deadLetter(
      'dlq.coventry.finance',
      original,
      { code: 'SOURCE.PARSE_ERROR', reason: 'Unexpected token at line 1.', stage: 'parse' },
      new Date('2026-11-23T00:00:00Z'),
    );
    expect(dlq.topic).toBe('dlq.coventry.finance');
    expect(dlq.key).toBe(original.key);
    expect(dlq.value).toBe(original.value);
    expect(dlq.headers).toMatchObject({
      ce_id: Buffer.from('x'),
      [DlqHeaders.code]: 'SOURCE.PARSE_ERROR',
      [DlqHeaders.reason]: 'Unexpected token at line 1.',
      [DlqHeaders.stage]: 'parse',
      [DlqHeaders.sourceTopic]: 'council.coventry.finance',
      [DlqHeaders.sourcePartition]: '2',
      [DlqHeaders.sourceOffset]: '17',
      [DlqHeaders.failedAt]: '2026-11-23T00:00:00.000Z',
    });
  });
});
