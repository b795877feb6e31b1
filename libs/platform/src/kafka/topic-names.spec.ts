import { TopicNames } from './topic-names';

describe('TopicNames', () => {
  it('builds the CONTRACT names, with an optional namespace', () => {
    const plain = new TopicNames();
    expect(plain.council('coventry', 'finance')).toBe('council.coventry.finance');
    expect(plain.canonical('finance', 'spend')).toBe('canonical.finance.spend');
    expect(plain.dlq('coventry', 'hr')).toBe('dlq.coventry.hr');
    expect(plain.ssc('payroll')).toBe('ssc.payroll');
    expect(plain.audit).toBe('hub.audit.v1');
    const ns = new TopicNames('t42.');
    expect(ns.council('solihull', 'waste')).toBe('t42.council.solihull.waste');
  });

  it('parses its own names back and nothing else', () => {
    const ns = new TopicNames('t1.');
    expect(ns.parseCouncil('t1.council.coventry.crm')).toEqual({ council: 'coventry', domain: 'crm' });
    expect(ns.parseCouncil('t1.council.coventry.parking')).toBeUndefined();
    expect(ns.parseCouncil('council.coventry.crm')).toBeUndefined();
    expect(ns.parseCanonical('t1.canonical.waste.flytip')).toEqual({ domain: 'waste', entity: 'flytip' });
  });

  it('refuses names that are not slugs', () => {
    expect(() => new TopicNames().council('Coventry City', 'finance')).toThrow(/not a valid topic name part/);
  });
});
