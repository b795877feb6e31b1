import { parsePence } from './pence.parser';

describe('parsePence', () => {
  it.each([
    ['£1,234.56', 123456],
    [' 519.89 ', 51989],
    ['-12.00', -1200],
    ['(12.00)', -1200],
    ['( £12.00 )', -1200],
    ['12.00-', -1200],
    ['-£5', -500],
    ['£-5.5', -550],
    ['1234', 123400],
    ['2,000.00', 200000],
    [' 57,492,900.67 ', 5749290067],
    ['0.5', 50],
    ['.75', 75],
    ['-0.00', 0],
    ['100000000000', 10_000_000_000_000],
  ])('reads %j as %d pence', (input, pence) => {
    expect(parsePence(input)).toEqual({ ok: true, value: pence });
  });

  it.each([
    [519.89, 51989],
    [0.1 + 0.2, 30],
    [-974, -97400],
    [1e11, 1e13],
  ])('reads the JSON number %d as %d pence', (input, pence) => {
    expect(parsePence(input)).toEqual({ ok: true, value: pence });
  });

  it.each([
    ['abc', 'not an amount'],
    ['1.234', 'more than 2 decimal places'],
    ['1,23.45', 'not an amount'],
    ['12,34', 'not an amount'],
    ['--12', 'not an amount'],
    ['(-12.00)', 'not an amount'],
    ['£', 'not an amount'],
    ['.', 'not an amount'],
    ['1e5', 'not an amount'],
    ['100000000000.01', 'out of range'],
    ['1000000000000', 'out of range'],
  ])('rejects %j (%s)', (input, reason) => {
    const result = parsePence(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it.each([
    [Number.NaN, 'not an amount'],
    [Number.POSITIVE_INFINITY, 'not an amount'],
    [1.234, 'more than 2 decimal places'],
    [1e12, 'out of range'],
  ])('rejects the number %d (%s)', (input, reason) => {
    const result = parsePence(input);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('rejects non-text values', () => {
    expect(parsePence(true).ok).toBe(false);
    expect(parsePence({}).ok).toBe(false);
  });

  it('reads whole pence when the unit is pence', () => {
    expect(parsePence('51989', { unit: 'pence' })).toEqual({ ok: true, value: 51989 });
    expect(parsePence('(1,200)', { unit: 'pence' })).toEqual({ ok: true, value: -1200 });
    expect(parsePence(51989, { unit: 'pence' })).toEqual({ ok: true, value: 51989 });
    expect(parsePence('519.89', { unit: 'pence' }).ok).toBe(false);
    expect(parsePence(519.5, { unit: 'pence' }).ok).toBe(false);
  });

  it('never repeats the value in its reason', () => {
    const result = parsePence('SECRET-VALUE');
    expect(!result.ok && result.reason).not.toContain('SECRET');
  });
});
