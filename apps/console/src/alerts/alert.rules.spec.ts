import { DestinationAlertInput, FeedAlertInput, evaluateAlerts } from './alert.rules';

const feed = (over: Partial<FeedAlertInput> = {}): FeedAlertInput => ({
  council: 'coventry',
  domain: 'finance',
  member: true,
  active: true,
  status: 'ok',
  cadence: 'PT5M',
  secondsSinceLastRecord: 30,
  rejected5m: 0,
  consumerLag: 0,
  ...over,
});

const destination = (over: Partial<DestinationAlertInput> = {}): DestinationAlertInput => ({
  id: 'ssc-finance',
  status: 'up',
  failed5m: 0,
  lastSuccessAt: '2026-11-23T11:00:00.000Z',
  ...over,
});

describe('alert rules', () => {
  it('raises nothing for healthy feeds and destinations', () => {
    expect(evaluateAlerts([feed()], [destination()])).toEqual([]);
  });

  it('raises a stale-feed warning for a late feed and an info for a silent one', () => {
    const alerts = evaluateAlerts(
      [
        feed({ status: 'late', secondsSinceLastRecord: 1200 }),
        feed({ council: 'solihull', status: 'silent', secondsSinceLastRecord: null }),
      ],
      [],
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        id: 'stale-feed:coventry.finance',
        kind: 'stale-feed',
        severity: 'warning',
        summary: 'The coventry finance feed is late: no record for 20 min (expected every PT5M).',
      }),
      expect.objectContaining({ id: 'stale-feed:solihull.finance', kind: 'stale-feed', severity: 'info' }),
    ]);
  });

  it('never alerts on onboarding examples or feeds the hub does not consume', () => {
    expect(
      evaluateAlerts(
        [
          feed({ member: false, status: 'silent', rejected5m: 99 }),
          feed({ active: false, status: 'inactive' }),
        ],
        [],
      ),
    ).toEqual([]);
  });

  it('raises DLQ growth above the threshold of rejections in 5 minutes', () => {
    expect(evaluateAlerts([feed({ rejected5m: 5 })], [])).toEqual([]);
    expect(evaluateAlerts([feed({ rejected5m: 6 })], [])).toEqual([
      expect.objectContaining({
        id: 'dlq-growth:coventry.finance',
        kind: 'dlq-growth',
        value: 6,
        threshold: 5,
      }),
    ]);
    expect(
      evaluateAlerts([feed({ rejected5m: 2 })], [], { dlqGrowthPer5m: 1, consumerLag: 1000 }),
    ).toHaveLength(1);
  });

  it('raises consumer lag over the threshold, and not when the lag is unknown', () => {
    expect(evaluateAlerts([feed({ consumerLag: 1000 })], [])).toEqual([]);
    expect(evaluateAlerts([feed({ consumerLag: null })], [])).toEqual([]);
    expect(evaluateAlerts([feed({ consumerLag: 1001 })], [])).toEqual([
      expect.objectContaining({
        id: 'consumer-lag:coventry.finance',
        kind: 'consumer-lag',
        severity: 'warning',
        value: 1001,
      }),
    ]);
  });

  it('raises destination down as critical, first', () => {
    const alerts = evaluateAlerts(
      [feed({ status: 'late', secondsSinceLastRecord: 900 })],
      [
        destination({ status: 'down', failed5m: 4 }),
        destination({ id: 'ssc-waste', status: 'degraded', failed5m: 1 }),
      ],
    );
    expect(alerts.map((a) => [a.kind, a.severity])).toEqual([
      ['destination-down', 'critical'],
      ['stale-feed', 'warning'],
    ]);
    expect(alerts[0].summary).toBe(
      'Destination ssc-finance is down: 4 deliveries failed in the last 5 minutes and none succeeded (last success 2026-11-23T11:00:00.000Z).',
    );
  });

  it('can raise several alerts for one feed', () => {
    const kinds = evaluateAlerts(
      [feed({ status: 'late', secondsSinceLastRecord: 900, rejected5m: 10, consumerLag: 5000 })],
      [],
    ).map((a) => a.kind);
    expect(kinds.sort()).toEqual(['consumer-lag', 'dlq-growth', 'stale-feed']);
  });
});
