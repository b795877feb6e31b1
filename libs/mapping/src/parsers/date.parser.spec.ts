import { parseDate, parseDateTime } from './date.parser';

describe('parseDate', () => {
  it.each([
    ['04/12/2018', '2018-12-04'],
    ['4/2/2019', '2019-02-04'],
    ['04-12-2018', '2018-12-04'],
    ['04.12.2018', '2018-12-04'],
    ['04/12/2018 00:00', '2018-12-04'],
    ['04/12/2018 00:00:00', '2018-12-04'],
    ['2026-05-29', '2026-05-29'],
    ['2026-5-9', '2026-05-09'],
    ['2026/05/29', '2026-05-29'],
    ['2026-05-29T23:30:00Z', '2026-05-29'],
    ['4 Dec 2018', '2018-12-04'],
    ['04-DEC-2018', '2018-12-04'],
    ['4 December 2018', '2018-12-04'],
    ['29/02/2020', '2020-02-29'],
    [' 02/03/2026 ', '2026-03-02'],
  ])('reads %j as %s', (input, iso) => {
    expect(parseDate(input)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['31/02/2019', 'not a real calendar date'],
    ['29/02/2019', 'not a real calendar date'],
    ['29/02/1900', 'not a real calendar date'],
    ['00/01/2019', 'not a real calendar date'],
    ['01/13/2019', 'not a real calendar date'],
    ['2019-04-31', 'not a real calendar date'],
    ['01/01/1700', 'not a real calendar date'],
    ['04/12/18', 'two-digit year'],
    ['4 Dec 18', 'two-digit year'],
    ['4 Decembre 2018', 'not a date'],
    ['yesterday', 'not a date'],
    ['', 'not a date'],
    ['43435', 'is a number'],
  ])('rejects %j (%s)', (input, reason) => {
    const result = parseDate(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('reads spreadsheet serial numbers only when the rule allows them', () => {
    expect(parseDate(43435, { excelSerial: true })).toEqual({ ok: true, value: '2018-12-01' });
    expect(parseDate('43435', { excelSerial: true })).toEqual({ ok: true, value: '2018-12-01' });
    expect(parseDate(43435.75, { excelSerial: true })).toEqual({ ok: true, value: '2018-12-01' });
    expect(parseDate(1, { excelSerial: true })).toEqual({ ok: true, value: '1900-01-01' });
    expect(parseDate(59, { excelSerial: true })).toEqual({ ok: true, value: '1900-02-28' });
    expect(parseDate(61, { excelSerial: true })).toEqual({ ok: true, value: '1900-03-01' });
    expect(parseDate(60, { excelSerial: true }).ok).toBe(false);
    expect(parseDate(0, { excelSerial: true }).ok).toBe(false);
    expect(parseDate(43435).ok).toBe(false);
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2026-11-23T14:05:00Z', '2026-11-23T14:05:00.000Z'],
    ['2026-11-23T14:05:00.123456Z', '2026-11-23T14:05:00.123Z'],
    ['2026-11-23T14:05:00+01:00', '2026-11-23T13:05:00.000Z'],
    ['2026-11-23T14:05:00-0230', '2026-11-23T16:35:00.000Z'],
    ['2026-11-23 14:05', '2026-11-23T14:05:00.000Z'],
    ['2026-07-01T09:00:00', '2026-07-01T08:00:00.000Z'],
    ['01/07/2026 09:00', '2026-07-01T08:00:00.000Z'],
    ['2026-07-01', '2026-06-30T23:00:00.000Z'],
  ])('reads %j as %s (local times in Europe/London)', (input, iso) => {
    expect(parseDateTime(input)).toEqual({ ok: true, value: iso });
  });

  it('resolves the clock changes: the autumn overlap to the earlier instant, the spring gap forward', () => {
    expect(parseDateTime('2026-10-25T01:30:00')).toEqual({ ok: true, value: '2026-10-25T00:30:00.000Z' });
    expect(parseDateTime('2026-10-25T02:30:00')).toEqual({ ok: true, value: '2026-10-25T02:30:00.000Z' });
    expect(parseDateTime('2026-03-29T01:30:00')).toEqual({ ok: true, value: '2026-03-29T01:30:00.000Z' });
    expect(parseDateTime('2026-03-29T00:30:00')).toEqual({ ok: true, value: '2026-03-29T00:30:00.000Z' });
  });

  it('reads local times as UTC when told to', () => {
    expect(parseDateTime('2026-07-01T09:00:00', { timezone: 'UTC' })).toEqual({
      ok: true,
      value: '2026-07-01T09:00:00.000Z',
    });
  });

  it('reads spreadsheet serials with a time fraction when allowed', () => {
    expect(parseDateTime(43435.5, { excelSerial: true, timezone: 'UTC' })).toEqual({
      ok: true,
      value: '2018-12-01T12:00:00.000Z',
    });
  });

  it.each(['2026-11-23T25:00:00Z', '2026-02-30T10:00:00Z', '23/11/26 10:00', 'soon', '2026-11-23T14:65'])(
    'rejects %j',
    (input) => {
      expect(parseDateTime(input).ok).toBe(false);
    },
  );
});
