import { parseBoolean } from './boolean.parser';
import { parseDecimal, parseInteger } from './number.parser';
import { compileEnumParser, compileStringParser } from './text.parser';

describe('parseDecimal', () => {
  it('reads decimals up to the scale', () => {
    expect(parseDecimal('0.81081', { scale: 5 })).toEqual({ ok: true, value: 0.81081 });
    expect(parseDecimal('1,234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseDecimal('-.25')).toEqual({ ok: true, value: -0.25 });
    expect(parseDecimal(0.5)).toEqual({ ok: true, value: 0.5 });
    expect(parseDecimal('0.810811', { scale: 5 }).ok).toBe(false);
    expect(parseDecimal(0.810811, { scale: 5 }).ok).toBe(false);
    expect(parseDecimal('abc').ok).toBe(false);
    expect(parseDecimal(Number.NaN).ok).toBe(false);
  });
});

describe('parseInteger', () => {
  it('reads whole numbers within the safe range', () => {
    expect(parseInteger('1,234')).toEqual({ ok: true, value: 1234 });
    expect(parseInteger(' -7 ')).toEqual({ ok: true, value: -7 });
    expect(parseInteger(37)).toEqual({ ok: true, value: 37 });
    expect(parseInteger('1.5').ok).toBe(false);
    expect(parseInteger(1.5).ok).toBe(false);
    expect(parseInteger('99999999999999999').ok).toBe(false);
  });
});

describe('parseBoolean', () => {
  it.each([
    ['Y', true],
    ['yes', true],
    ['TRUE', true],
    ['1', true],
    [1, true],
    [true, true],
    ['n', false],
    ['No', false],
    ['0', false],
    [false, false],
  ])('reads %j as %s', (input, value) => {
    expect(parseBoolean(input)).toEqual({ ok: true, value });
  });

  it('rejects anything else', () => {
    expect(parseBoolean('maybe').ok).toBe(false);
    expect(parseBoolean(2).ok).toBe(false);
  });
});

describe('compileStringParser', () => {
  it('trims, changes case, removes spaces and extracts', () => {
    const vat = compileStringParser({ case: 'upper', removeSpaces: true, extract: /^(?:GB)?(\d{9})$/u });
    expect(vat('gb 812 3112 85')).toEqual({ ok: true, value: '812311285' });
    expect(vat('989488523')).toEqual({ ok: true, value: '989488523' });
    expect(vat('IE1234567X').ok).toBe(false);
    expect(compileStringParser()('  x  ')).toEqual({ ok: true, value: 'x' });
    expect(compileStringParser()(42)).toEqual({ ok: true, value: '42' });
    expect(compileStringParser()({}).ok).toBe(false);
  });
});

describe('compileEnumParser', () => {
  it('matches ignoring case, spaces and punctuation, and returns the canonical spelling', () => {
    const parse = compileEnumParser(['Fixed Penalty Notice', 'Warning Letter', 'none']);
    expect(parse('fixed-penalty-notice')).toEqual({ ok: true, value: 'Fixed Penalty Notice' });
    expect(parse('WARNING LETTER')).toEqual({ ok: true, value: 'Warning Letter' });
    expect(parse('caution').ok).toBe(false);
  });
});
