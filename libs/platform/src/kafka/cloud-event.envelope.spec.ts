import { ErrorCodes } from '../errors/error-codes';
import { cloudEventHeaders, readEnvelope } from './cloud-event.envelope';

const good = () =>
  cloudEventHeaders({
    id: 'evt-1',
    source: '/councils/coventry/agresso',
    type: 'uk.gov.council.finance.spend',
    time: '2026-11-23T10:15:00Z',
    contentType: 'application/json; charset=utf-8',
  });

describe('readEnvelope', () => {
  it('accepts a complete CloudEvents binary-mode header set and reads the charset', () => {
    const result = readEnvelope(good());
    expect(result).toEqual({
      ok: true,
      value: {
        id: 'evt-1',
        source: '/councils/coventry/agresso',
        type: 'uk.gov.council.finance.spend',
        time: '2026-11-23T10:15:00Z',
        contentType: 'application/json',
        charset: 'utf-8',
      },
    });
  });

  it('accepts 29 February in a leap year and an offset time zone', () => {
    expect(readEnvelope({ ...good(), ce_time: '2028-02-29T23:59:59.123456+05:30' }).ok).toBe(true);
  });

  it('names every missing header', () => {
    const headers: Record<string, string | undefined> = { ...good(), ce_id: undefined, ce_time: undefined };
    const result = readEnvelope(headers);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.code).toBe(ErrorCodes.ENVELOPE_HEADER_MISSING);
      expect(result.failure.reason).toContain('ce_id, ce_time');
      expect(result.failure.stage).toBe('envelope');
    }
  });

  it.each([
    ['ce_specversion', '0.3', 'ce_specversion'],
    ['ce_time', '23/11/2026', 'ce_time'],
    ['ce_time', '2026-13-40T10:00:00Z', 'ce_time'],
    ['ce_time', '2026-02-30T10:00:00Z', 'ce_time'],
    ['ce_time', '2026-04-31T10:00:00Z', 'ce_time'],
    ['ce_time', '2026-11-23T24:00:00Z', 'ce_time'],
    ['ce_id', 'has space', 'ce_id'],
    ['content-type', 'application/pdf', 'content-type'],
  ])('rejects %s=%s naming the header', (header, value, named) => {
    const result = readEnvelope({ ...good(), [header]: value });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.code).toBe(ErrorCodes.ENVELOPE_HEADER_INVALID);
      expect(result.failure.reason).toContain(named);
    }
  });
});
