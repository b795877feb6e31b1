import { fail, ok, type ParseResult } from './parse-result';

/** Options of {@link parseDate} and {@link parseDateTime}. */
export interface DateOptions {
  /**
   * Accept spreadsheet serial numbers (days since 1899-12-30 in the 1900 date system, e.g. 43435 is
   * 2018-12-01). Off by default: a bare number in a date column is more often a mistake.
   */
  readonly excelSerial?: boolean;
}

/** Options of {@link parseDateTime}. */
export interface DateTimeOptions extends DateOptions {
  /** Zone of a local time written without an offset (default `Europe/London`). */
  readonly timezone?: 'Europe/London' | 'UTC';
}

const NOT_A_DATE = fail('is not a date (expected dd/mm/yyyy or yyyy-mm-dd)');
const NOT_REAL = fail('is not a real calendar date');
const TWO_DIGIT_YEAR = fail('has a two-digit year, which is ambiguous (expected a four-digit year)');
const NUMBER_NOT_ALLOWED = fail(
  'is a number, not a date (the rule does not accept spreadsheet serial dates)',
);
const NOT_A_DATETIME = fail('is not a date and time (expected ISO 8601, e.g. 2026-11-23T14:05:00Z)');

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const YMD_SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const DMY_NAMED = /^(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{2}|\d{4})$/;
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;
const MONTHS = new Map<string, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [
    m,
    i + 1,
  ]),
);
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** The parts of a local date and time, before validation. */
interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  /** Offset from UTC in minutes when the source wrote one (`Z` is 0). */
  offset?: number;
}

/**
 * Parses a calendar date into `yyyy-mm-dd`. Accepts `dd/mm/yyyy` (also `-` or `.` separators and a
 * trailing time, as spreadsheets write), `yyyy-mm-dd`, `yyyy/mm/dd`, `4 Dec 2018`, ISO date-times (their
 * date as written) and, when allowed, spreadsheet serial numbers. UK order only: `mm/dd/yyyy` is not
 * recognised. Two-digit years are rejected as ambiguous (is `18` 1918 or 2018?), as are impossible dates
 * (31/02/2019) and years outside 1800-2199.
 */
export function parseDate(input: unknown, options: DateOptions = {}): ParseResult<string> {
  const parts = toParts(input, options, NOT_A_DATE);
  if (!('year' in parts)) return parts;
  return isRealDate(parts) ? ok(isoDate(parts)) : NOT_REAL;
}

/**
 * Parses a date and time into a UTC instant `yyyy-mm-ddThh:mm:ss.sssZ`. Accepts ISO 8601 with or
 * without an offset, `dd/mm/yyyy hh:mm[:ss]`, a bare date (midnight) and, when allowed, spreadsheet
 * serial numbers with a fraction. A time without an offset is read in `timezone` (Europe/London unless
 * told otherwise, so British Summer Time is handled).
 */
export function parseDateTime(input: unknown, options: DateTimeOptions = {}): ParseResult<string> {
  const parts = toParts(input, options, NOT_A_DATETIME);
  if (!('year' in parts)) return parts;
  if (!isRealDate(parts) || parts.hour > 23 || parts.minute > 59 || parts.second > 59) return NOT_REAL;
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
    parts.millis,
  );
  const utc =
    parts.offset !== undefined
      ? wall - parts.offset * 60_000
      : options.timezone === 'UTC'
        ? wall
        : londonToUtc(wall);
  return ok(new Date(utc).toISOString());
}

function toParts(
  input: unknown,
  options: DateOptions,
  notDate: ReturnType<typeof fail>,
): Parts | ReturnType<typeof fail> {
  if (typeof input === 'number') return options.excelSerial === true ? fromSerial(input) : NUMBER_NOT_ALLOWED;
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return notDate;
    return {
      year: input.getUTCFullYear(),
      month: input.getUTCMonth() + 1,
      day: input.getUTCDate(),
      hour: input.getUTCHours(),
      minute: input.getUTCMinutes(),
      second: input.getUTCSeconds(),
      millis: input.getUTCMilliseconds(),
      offset: 0,
    };
  }
  if (typeof input !== 'string') return notDate;
  const s = input.trim();
  let m = ISO.exec(s);
  if (m !== null) {
    const parts: Parts = {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: m[4] === undefined ? 0 : Number(m[4]),
      minute: m[5] === undefined ? 0 : Number(m[5]),
      second: m[6] === undefined ? 0 : Number(m[6]),
      millis: m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0')),
    };
    if (m[8] !== undefined) parts.offset = parseOffset(m[8]);
    return parts;
  }
  m = DMY.exec(s);
  if (m !== null) {
    if (m[3]!.length === 2) return TWO_DIGIT_YEAR;
    return {
      year: Number(m[3]),
      month: Number(m[2]),
      day: Number(m[1]),
      hour: m[4] === undefined ? 0 : Number(m[4]),
      minute: m[5] === undefined ? 0 : Number(m[5]),
      second: m[6] === undefined ? 0 : Number(m[6]),
      millis: 0,
    };
  }
  m = YMD_SLASH.exec(s);
  if (m !== null) return dateOnly(Number(m[1]), Number(m[2]), Number(m[3]));
  m = DMY_NAMED.exec(s);
  if (m !== null) {
    if (m[3]!.length === 2) return TWO_DIGIT_YEAR;
    const name = m[2]!.toLowerCase();
    const month = MONTHS.get(name.slice(0, 3));
    if (month === undefined || (name.length > 3 && !FULL_MONTHS[month - 1]!.startsWith(name))) return notDate;
    return dateOnly(Number(m[3]), month, Number(m[1]));
  }
  if (SERIAL.test(s)) return options.excelSerial === true ? fromSerial(Number(s)) : NUMBER_NOT_ALLOWED;
  return notDate;
}

function dateOnly(year: number, month: number, day: number): Parts {
  return { year, month, day, hour: 0, minute: 0, second: 0, millis: 0 };
}

function parseOffset(text: string): number {
  if (text.toUpperCase() === 'Z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

/** Serial day numbers of the 1900 date system; 60 is Lotus's phantom 29 February 1900. */
function fromSerial(serial: number): Parts | ReturnType<typeof fail> {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466)
    return fail('is not a spreadsheet serial date');
  const day = Math.floor(serial);
  if (day === 60) return fail('is spreadsheet serial 60, a date that does not exist (29/02/1900)');
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const totalMs = Math.round((serial - day) * 86_400_000);
  const d = new Date(epoch + day * 86_400_000 + totalMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
  };
}

function isRealDate({ year, month, day }: Parts): boolean {
  if (year < 1800 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isoDate({ year, month, day }: Parts): string {
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

let londonFormat: Intl.DateTimeFormat | undefined;

/** Offset of Europe/London from UTC, in ms, at the UTC instant `utc`. */
function londonOffset(utc: number): number {
  londonFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p: Record<string, number> = {};
  for (const part of londonFormat.formatToParts(new Date(utc))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return asUtc - (utc - (((utc % 1000) + 1000) % 1000));
}

/**
 * UTC instant of a Europe/London wall-clock time. In the autumn overlap the earlier (BST) instant is
 * chosen; a time in the spring gap (which does not exist) moves forward by the gap.
 */
function londonToUtc(wall: number): number {
  const first = wall - londonOffset(wall);
  const offset = londonOffset(first);
  const candidate = wall - offset;
  // Autumn overlap: both wall - 0h and wall - 1h map back to the same wall time; prefer the earlier.
  const earlier = wall - 3_600_000;
  if (offset === 0 && londonOffset(earlier) === 3_600_000) return earlier;
  return candidate;
}
