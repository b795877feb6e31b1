import { normaliseHeader, normaliseHeaderCached } from './header-name.normaliser';

describe('normaliseHeader', () => {
  it.each([
    [' Amount ', 'amount'],
    ['\uFEFFBody', 'body'],
    ['Supplier_Name', 'suppliername'],
    ['Pay Date', 'paydate'],
    ['PayDate', 'paydate'],
    ['VAT reg. no', 'vatregno'],
    ['Amount (£)', 'amount'],
    ['@_documentId', 'documentid'],
    ['Transaction\tNumber', 'transactionnumber'],
  ])('normalises %j to %s', (input, output) => {
    expect(normaliseHeader(input)).toBe(output);
    expect(normaliseHeaderCached(input)).toBe(output);
  });
});

describe('normaliseHeader and Unicode', () => {
  it('folds compatibility characters (NFKC), as @hub/source-formats does', () => {
    expect(normaliseHeader('Ａｍｏｕｎｔ')).toBe('amount');
    expect(normaliseHeader('Supplier\u00A0Name')).toBe('suppliername');
  });
});
