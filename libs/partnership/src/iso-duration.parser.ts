const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Seconds in an ISO 8601 duration (`PT5M` is 300, `P1D` is 86400), or `undefined` when it is not one.
 * Calendar units are approximated: a year is 365 days, a month 30 days (cadences need no more).
 */
export function isoDurationSeconds(duration: string): number | undefined {
  const m = DURATION.exec(duration);
  if (m === null) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  const seconds =
    n(1) * 365 * 86400 + n(2) * 30 * 86400 + n(3) * 7 * 86400 + n(4) * 86400 + n(5) * 3600 + n(6) * 60 + n(7);
  return seconds > 0 ? seconds : undefined;
}
