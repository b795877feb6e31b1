import { RoutableRecord, RoutingTable } from './routing-table';
import { RoutingConfig } from './routing-config.types';

const config: RoutingConfig = {
  agreements: [
    {
      id: 'dsa-fin',
      title: 't',
      parties: ['coventry', 'ssc'],
      recordTypes: ['finance.spend'],
      purpose: 'p',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    },
  ],
  destinations: [
    { id: 'ledger', kind: 'kafka', service: 'finance' },
    { id: 'review', kind: 'kafka', service: 'review' },
  ],
  routes: [
    { id: 'all-spend', match: { entity: 'finance.spend' }, destination: 'ledger', agreement: 'dsa-fin' },
    {
      id: 'big-spend',
      match: { entity: 'finance.spend', where: [{ field: 'data.netAmountPence', op: 'gte', value: 100000 }] },
      destination: 'review',
      agreement: 'dsa-fin',
    },
  ],
};

const spend = (council: string, pence: number): RoutableRecord => ({
  council: { slug: council },
  schema: 'hub.finance.spend.v1',
  operation: 'upsert',
  data: { netAmountPence: pence },
});

describe('RoutingTable', () => {
  const table = new RoutingTable(config);

  it('fans a record out to every matching route', () => {
    const decisions = table.decide(spend('coventry', 150000), 'finance.spend', 'finance', '2026-11-23');
    expect(decisions.map((d) => [d.outcome, d.destination.id])).toEqual([
      ['routed', 'ledger'],
      ['routed', 'review'],
    ]);
  });

  it('matches on content: a small payment only goes to the ledger', () => {
    const decisions = table.decide(spend('coventry', 999), 'finance.spend', 'finance', '2026-11-23');
    expect(decisions.map((d) => d.destination.id)).toEqual(['ledger']);
  });

  it('refuses a council the agreement does not name, and outside its dates', () => {
    const other = table.decide(spend('solihull', 999), 'finance.spend', 'finance', '2026-11-23');
    expect(other[0]).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('solihull') });
    const late = table.decide(spend('coventry', 999), 'finance.spend', 'finance', '2027-01-01');
    expect(late[0]).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('ended on 2026-12-31'),
    });
  });

  it('returns no decision for an entity no route covers (unrouted)', () => {
    expect(table.decide(spend('coventry', 1), 'hr.employee', 'hr', '2026-11-23')).toEqual([]);
  });

  it('fails fast on a route naming an unknown destination or agreement', () => {
    expect(
      () =>
        new RoutingTable({
          ...config,
          routes: [{ id: 'x', match: {}, destination: 'nowhere', agreement: 'none' }],
        }),
    ).toThrow(/unknown destination "nowhere"[\s\S]*unknown agreement "none"/);
  });
});
