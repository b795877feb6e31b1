import { parseNino, parsePostcode, parseUprn, parseUsrn } from './identifier.parser';

describe('parseUprn', () => {
  it.each([
    ['100023336956', '100023336956'],
    [' 10023301234 ', '10023301234'],
    ['12345678', '12345678'],
    ['000123', '123'],
    ['100023336956.0', '100023336956'],
    [100023336956, '100023336956'],
  ])('reads %j as %s', (input, uprn) => {
    expect(parseUprn(input)).toEqual({ ok: true, value: uprn });
  });

  it.each([
    ['0', 'zero'],
    ['000', 'zero'],
    [0, 'zero'],
    ['1.00023E+11', 'scientific notation'],
    ['1E+11', 'scientific notation'],
  ])('reports %j as mangled (%s)', (input, reason) => {
    const result = parseUprn(input);
    expect(result).toMatchObject({ ok: false, mangled: true });
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('reports a value ending in 000000 as mangled only when the rule expects spreadsheet rounding', () => {
    expect(parseUprn('100023000000', { spreadsheetRounding: true })).toMatchObject({
      ok: false,
      mangled: true,
    });
    expect(parseUprn('100023000000')).toEqual({ ok: true, value: '100023000000' });
    expect(parseUprn('1000000', { spreadsheetRounding: true })).toMatchObject({ ok: false, mangled: true });
    expect(parseUprn('100000', { spreadsheetRounding: true })).toEqual({ ok: true, value: '100000' });
  });

  it.each(['1234567890123', 'ABC123', 'N/A', '12-34', '-5', 12.5])(
    'rejects %j as invalid (not mangled)',
    (input) => {
      const result = parseUprn(input);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.mangled).toBeFalsy();
    },
  );
});

describe('parseUsrn', () => {
  it('reads up to 8 digits and reports zero as mangled', () => {
    expect(parseUsrn('12345678')).toEqual({ ok: true, value: '12345678' });
    expect(parseUsrn('123456789').ok).toBe(false);
    expect(parseUsrn('0')).toMatchObject({ ok: false, mangled: true });
  });
});

describe('parsePostcode', () => {
  it.each([
    ['cv1 5rr', 'CV1 5RR'],
    ['CV15RR', 'CV1 5RR'],
    [' b91  3qb ', 'B91 3QB'],
    ['SW1A1AA', 'SW1A 1AA'],
    ['M1 1AE', 'M1 1AE'],
    ['EC1A 1BB', 'EC1A 1BB'],
    ['gir 0aa', 'GIR 0AA'],
  ])('normalises %j to %s', (input, postcode) => {
    expect(parsePostcode(input)).toEqual({ ok: true, value: postcode });
  });

  it.each(['CV1', '12345', 'CV1 5CI', 'QQ1 1AA', 'CV1 55R', ''])('rejects %j', (input) => {
    expect(parsePostcode(input).ok).toBe(false);
  });
});

describe('parseNino', () => {
  it.each([
    ['AB123456C', 'AB123456C'],
    ['ab 12 34 56 c', 'AB123456C'],
    ['JG103759A', 'JG103759A'],
    ['CE-12-34-56-D', 'CE123456D'],
  ])('accepts %j as %s', (input, nino) => {
    expect(parseNino(input)).toEqual({ ok: true, value: nino });
  });

  it.each([
    ['QQ123456C', 'Q is never a first letter'],
    ['DA123456A', 'D is never a first letter'],
    ['AO123456A', 'O is never a second letter'],
    ['AV123456A', 'V is never a second letter'],
    ['BG123456A', 'BG is not allocated'],
    ['GB123456A', 'GB is not allocated'],
    ['NK123456A', 'NK is not allocated'],
    ['KN123456A', 'KN is not allocated'],
    ['TN123456A', 'TN is temporary'],
    ['NT123456A', 'NT is not allocated'],
    ['ZZ123456A', 'ZZ is not allocated'],
    ['AB123456E', 'suffix is A to D'],
    ['AB123456', 'suffix is required'],
    ['AB12345C', 'six digits'],
  ])('rejects %j (%s)', (input) => {
    expect(parseNino(input).ok).toBe(false);
  });
});
