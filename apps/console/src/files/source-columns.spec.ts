import { sourceColumnGroups } from './source-columns';

describe('sourceColumnGroups', () => {
  it('collects each from (with aliases) and concat part once, leaving out $context names', () => {
    const groups = sourceColumnGroups({
      recordId: { concat: ['Transno', '$row'], separator: '#' },
      fields: {
        transactionRef: { from: ['Transno', 'Transaction number'] },
        paymentDate: { from: 'Pay Date' },
        amount: { from: 'Amount' },
        again: { from: 'Amount' },
      },
    } as never);
    expect(groups).toEqual([['Transno'], ['Transno', 'Transaction number'], ['Pay Date'], ['Amount']]);
  });
});
