import { sha256 } from './content-hash';
import { findColumn, findColumnKey, normaliseHeader } from './header-normaliser';

describe('normaliseHeader', () => {
  it('makes spelling variants of one column compare equal', () => {
    const variants = [
      'Transaction number',
      ' TransactionNumber ',
      'transaction_number',
      'TRANSACTION-NUMBER',
      '\ufeffTransaction Number',
    ];
    expect(new Set(variants.map(normaliseHeader))).toEqual(new Set(['transactionnumber']));
  });

  it('ignores padding, non-breaking spaces and currency signs', () => {
    expect(normaliseHeader(' Amount ')).toBe('amount');
    expect(normaliseHeader('Amount\u00a0(£)')).toBe('amount');
    expect(normaliseHeader('VAT reg no.')).toBe('vatregno');
  });

  it('keeps letters and digits of any script', () => {
    expect(normaliseHeader('Côte 2')).toBe('côte2');
  });
});

describe('findColumnKey / findColumn', () => {
  const record = { Transno: '51465244', ' Amount ': ' 519.89 ', 'Pay Date': '' };

  it('returns the value of the first alias present, by normalised name', () => {
    expect(findColumn(record, ['Transaction number', 'TransNo'])).toBe('51465244');
    expect(findColumn(record, ['amount'])).toBe(' 519.89 ');
  });

  it('follows alias order when several aliases are present', () => {
    const both = { TransactionNumber: 'A', 'Transaction number': 'B', Transno: 'C' };
    expect(findColumn(both, ['transno', 'transaction number'])).toBe('C');
  });

  it('treats an empty value as present and a missing column as undefined', () => {
    expect(findColumn(record, ['Payment date', 'pay_date'])).toBe('');
    expect(findColumn(record, ['Supplier name'])).toBeUndefined();
  });

  it('returns the key as written, for mapping engines that resolve columns once per header', () => {
    expect(findColumnKey(['Body', ' Amount '], ['Net amount', 'Amount'])).toBe(' Amount ');
    expect(findColumnKey([], ['Amount'])).toBeUndefined();
  });
});

describe('sha256', () => {
  it('hashes the bytes as received', () => {
    expect(sha256(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
