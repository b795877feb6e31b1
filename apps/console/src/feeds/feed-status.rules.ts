/**
 * The feed status rules: pure functions of counts, times and the feed's configured cadence, so they
 * can be read (and tested) without a broker or a database.
 *
 * Precedence, most telling first: inactive (no mappings for the domain yet) > silent (never received
 * anything) > failing (too many recent records rejected) > late (nothing for longer than the cadence
 * allows) > ok. Every condition that holds is also listed in `reasons`, so a feed that is failing AND
 * late says both.
 */

/** What a feed tile shows. */
export type FeedStatus = 'ok' | 'late' | 'failing' | 'silent' | 'inactive';

/** Thresholds of the rules, written once with their defaults. */
export interface FeedStatusThresholds {
  /** A feed is late after this many cadences without a record. */
  lateAfterCadences: number;
  /** A feed is failing above this share of rejected records (0..1), over the last hour or the recent window. */
  failingErrorRate: number;
  /** Fewer records than this in a window are too few to call the feed failing on that window. */
  minRecordsForErrorRate: number;
  /** Size of the "recent records" window (the latest N outcomes, whatever their age). */
  recentWindow: number;
}

/** Defaults: late after 2 cadences; failing above 20 % of the last 50 records or of the last hour (5 records at least). */
export const DEFAULT_FEED_STATUS_THRESHOLDS: Readonly<FeedStatusThresholds> = Object.freeze({
  lateAfterCadences: 2,
  failingErrorRate: 0.2,
  minRecordsForErrorRate: 5,
  recentWindow: 50,
});

/** What the rules look at for one feed. */
export interface FeedObservation {
  /** False when the feed's domain has no canonical entities yet (nothing consumes it). */
  active: boolean;
  cadenceSeconds: number;
  lastRecordAt: Date | null;
  received1h: number;
  rejected1h: number;
  /** Outcomes among the latest `recentWindow` records, and how many of them were rejected. */
  recentOutcomes: number;
  recentRejected: number;
}

/** The verdict on one feed. */
export interface FeedVerdict {
  status: FeedStatus;
  /** Sentences an operator can act on; empty when ok. */
  reasons: string[];
  /** rejected / received over the last hour; null without records. */
  errorRate1h: number | null;
  /** rejected / outcomes over the recent window; null without records. */
  errorRateRecent: number | null;
  secondsSinceLastRecord: number | null;
}

/** Applies the rules to one feed at `now`. */
export function feedStatus(
  observation: FeedObservation,
  now: Date,
  thresholds: Readonly<FeedStatusThresholds> = DEFAULT_FEED_STATUS_THRESHOLDS,
): FeedVerdict {
  const o = observation;
  const errorRate1h = o.received1h > 0 ? Math.min(1, o.rejected1h / o.received1h) : null;
  const errorRateRecent = o.recentOutcomes > 0 ? o.recentRejected / o.recentOutcomes : null;
  const secondsSinceLastRecord = o.lastRecordAt
    ? Math.max(0, Math.floor((now.getTime() - o.lastRecordAt.getTime()) / 1000))
    : null;
  const base = { errorRate1h, errorRateRecent, secondsSinceLastRecord };

  if (!o.active) {
    return {
      ...base,
      status: 'inactive',
      reasons: ['The domain has no canonical entities yet, so the hub does not consume this feed.'],
    };
  }
  if (o.lastRecordAt === null) {
    return { ...base, status: 'silent', reasons: ['No record has ever been received on this feed.'] };
  }

  const reasons: string[] = [];
  const percent = (rate: number) => `${Math.round(rate * 100)} %`;
  const limit = percent(thresholds.failingErrorRate);
  let failing = false;
  if (
    errorRate1h !== null &&
    o.received1h >= thresholds.minRecordsForErrorRate &&
    errorRate1h > thresholds.failingErrorRate
  ) {
    failing = true;
    reasons.push(
      `${percent(errorRate1h)} of the last hour's ${o.received1h} records were rejected (limit ${limit}).`,
    );
  }
  if (
    errorRateRecent !== null &&
    o.recentOutcomes >= thresholds.minRecordsForErrorRate &&
    errorRateRecent > thresholds.failingErrorRate
  ) {
    failing = true;
    reasons.push(
      `${o.recentRejected} of the last ${o.recentOutcomes} records were rejected (${percent(errorRateRecent)}, limit ${limit}).`,
    );
  }

  const lateAfterSeconds = thresholds.lateAfterCadences * o.cadenceSeconds;
  const late = secondsSinceLastRecord !== null && secondsSinceLastRecord > lateAfterSeconds;
  if (late) {
    reasons.push(
      `No record for ${formatDuration(secondsSinceLastRecord)}; records are expected every ${formatDuration(o.cadenceSeconds)} (late after ${formatDuration(lateAfterSeconds)}).`,
    );
  }
  return { ...base, status: failing ? 'failing' : late ? 'late' : 'ok', reasons };
}

/** 90 -> "1m 30s", 7200 -> "2h", 2592000 -> "30d": short and unambiguous. */
export function formatDuration(seconds: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [name, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.length ? parts.join(' ') : '0s';
}
