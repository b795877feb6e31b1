import {
  DEFAULT_FEED_STATUS_THRESHOLDS,
  FeedObservation,
  feedStatus,
  formatDuration,
} from './feed-status.rules';

const NOW = new Date('2026-11-23T12:00:00Z');
const secondsAgo = (s: number) => new Date(NOW.getTime() - s * 1000);

/** A healthy 5-minute feed that sent a record a minute ago; tests change one thing at a time. */
const healthy = (over: Partial<FeedObservation> = {}): FeedObservation => ({
  active: true,
  cadenceSeconds: 300,
  lastRecordAt: secondsAgo(60),
  received1h: 12,
  rejected1h: 0,
  recentOutcomes: 12,
  recentRejected: 0,
  ...over,
});

describe('feed status rules', () => {
  it('is ok when records arrive on cadence and none are rejected', () => {
    const v = feedStatus(healthy(), NOW);
    expect(v).toMatchObject({
      status: 'ok',
      reasons: [],
      errorRate1h: 0,
      errorRateRecent: 0,
      secondsSinceLastRecord: 60,
    });
  });

  it('is silent when the feed has never sent a record', () => {
    const v = feedStatus(healthy({ lastRecordAt: null, received1h: 0, recentOutcomes: 0 }), NOW);
    expect(v.status).toBe('silent');
    expect(v.errorRate1h).toBeNull();
    expect(v.reasons[0]).toBe('No record has ever been received on this feed.');
  });

  it('is inactive when its domain has no canonical entities, whatever else is true', () => {
    expect(feedStatus(healthy({ active: false, lastRecordAt: null }), NOW).status).toBe('inactive');
  });

  it('is late only after more than twice the cadence without a record', () => {
    expect(feedStatus(healthy({ lastRecordAt: secondsAgo(600) }), NOW).status).toBe('ok');
    const late = feedStatus(healthy({ lastRecordAt: secondsAgo(601) }), NOW);
    expect(late.status).toBe('late');
    expect(late.reasons[0]).toBe('No record for 10m 1s; records are expected every 5m (late after 10m).');
  });

  it('judges a monthly feed by its own cadence', () => {
    const monthly = healthy({
      cadenceSeconds: 30 * 86_400,
      lastRecordAt: secondsAgo(40 * 86_400),
      received1h: 0,
      rejected1h: 0,
    });
    expect(feedStatus(monthly, NOW).status).toBe('ok');
    expect(feedStatus({ ...monthly, lastRecordAt: secondsAgo(61 * 86_400) }, NOW).status).toBe('late');
  });

  it('is failing above 20 % rejected over the last hour', () => {
    expect(feedStatus(healthy({ received1h: 10, rejected1h: 2 }), NOW).status).toBe('ok'); // exactly 20 % is not over
    const v = feedStatus(healthy({ received1h: 10, rejected1h: 3 }), NOW);
    expect(v.status).toBe('failing');
    expect(v.errorRate1h).toBeCloseTo(0.3);
    expect(v.reasons).toContain("30 % of the last hour's 10 records were rejected (limit 20 %).");
  });

  it('is failing above 20 % of the last 50 records even when the hour was quiet', () => {
    const v = feedStatus(
      healthy({
        received1h: 0,
        rejected1h: 0,
        recentOutcomes: 50,
        recentRejected: 11,
        lastRecordAt: secondsAgo(120),
      }),
      NOW,
    );
    expect(v.status).toBe('failing');
    expect(v.reasons).toContain('11 of the last 50 records were rejected (22 %, limit 20 %).');
  });

  it('needs a minimum number of records before calling a feed failing', () => {
    const v = feedStatus(
      healthy({ received1h: 4, rejected1h: 4, recentOutcomes: 4, recentRejected: 4 }),
      NOW,
    );
    expect(v.status).toBe('ok');
    expect(v.errorRate1h).toBe(1);
    const five = feedStatus(
      healthy({ received1h: 5, rejected1h: 5, recentOutcomes: 5, recentRejected: 5 }),
      NOW,
    );
    expect(five.status).toBe('failing');
  });

  it('says failing first but lists lateness too when both hold', () => {
    const v = feedStatus(
      healthy({
        lastRecordAt: secondsAgo(3600),
        received1h: 0,
        rejected1h: 0,
        recentOutcomes: 10,
        recentRejected: 10,
      }),
      NOW,
    );
    expect(v.status).toBe('failing');
    expect(v.reasons).toHaveLength(2);
    expect(v.reasons[1]).toMatch(/^No record for 1h/);
  });

  it('takes its thresholds as a parameter', () => {
    const strict = { ...DEFAULT_FEED_STATUS_THRESHOLDS, failingErrorRate: 0.05, lateAfterCadences: 1 };
    expect(feedStatus(healthy({ received1h: 10, rejected1h: 1 }), NOW, strict).status).toBe('failing');
    expect(feedStatus(healthy({ lastRecordAt: secondsAgo(301) }), NOW, strict).status).toBe('late');
  });

  it('caps the hourly error rate at 100 % (rejections recorded for records received earlier)', () => {
    expect(feedStatus(healthy({ received1h: 5, rejected1h: 7 }), NOW).errorRate1h).toBe(1);
  });

  it('formats durations briefly', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(90)).toBe('1m 30s');
    expect(formatDuration(7200)).toBe('2h');
    expect(formatDuration(30 * 86_400 + 3_600 + 60)).toBe('30d 1h');
  });
});
