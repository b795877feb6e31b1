import { destinationStatus } from './destination-status.rules';

describe('destination status rules', () => {
  const counts = (delivered5m: number, failed5m: number, delivered1h = delivered5m, failed1h = failed5m) => ({
    delivered5m,
    failed5m,
    delivered1h,
    failed1h,
  });

  it('is up when deliveries succeed', () => expect(destinationStatus(counts(10, 0)).status).toBe('up'));
  it('is up when quiet for 5 minutes after successes this hour', () =>
    expect(destinationStatus(counts(0, 0, 40, 0)).status).toBe('up'));
  it('is idle with nothing at all in the last hour', () =>
    expect(destinationStatus(counts(0, 0)).status).toBe('idle'));
  it('is degraded when some deliveries fail', () => {
    expect(destinationStatus(counts(9, 1))).toEqual({
      status: 'degraded',
      reasons: ['1 of 10 deliveries failed in the last 5 minutes.'],
    });
  });
  it('is down when deliveries fail and none succeed in 5 minutes', () => {
    expect(destinationStatus(counts(0, 3, 50, 3))).toEqual({
      status: 'down',
      reasons: ['3 deliveries failed in the last 5 minutes and none succeeded.'],
    });
  });
});
