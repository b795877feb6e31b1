import { ErrorCodes } from '../errors/error-codes';
import { Result, fail, ok } from '../errors/hub.error';
import { CeHeaders, SUPPORTED_CONTENT_TYPES, SupportedContentType } from './cloud-event.headers';

/** The CloudEvents attributes of one inbound record, validated. */
export interface CloudEventEnvelope {
  id: string;
  source: string;
  type: string;
  time: string;
  contentType: SupportedContentType;
  /** Charset parameter of content-type, when given (e.g. windows-1252). */
  charset?: string;
}

export type HeaderMap = Record<string, string | undefined>;

const REQUIRED = [
  CeHeaders.specversion,
  CeHeaders.id,
  CeHeaders.source,
  CeHeaders.type,
  CeHeaders.time,
  CeHeaders.contentType,
];
const ID_PATTERN = /^[\x21-\x7e]{1,200}$/;
// RFC 3339 with an offset or Z; isRealTime below rejects impossible values such as month 13 or 30 February.
const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Validates the CloudEvents binary-mode headers of an inbound record. Expected failures are
 * returned as values with a reason naming the header.
 */
export function readEnvelope(headers: HeaderMap): Result<CloudEventEnvelope> {
  const missing = REQUIRED.filter((name) => !headers[name]);
  if (missing.length > 0) {
    return fail(
      ErrorCodes.ENVELOPE_HEADER_MISSING,
      `Header ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing; CloudEvents binary mode needs ${REQUIRED.join(', ')}.`,
      'envelope',
    );
  }
  const h = headers as Record<string, string>;
  if (h[CeHeaders.specversion] !== '1.0') {
    return invalid(`Header ce_specversion must be "1.0" (CloudEvents 1.0).`);
  }
  if (!ID_PATTERN.test(h[CeHeaders.id])) {
    return invalid('Header ce_id must be 1-200 printable ASCII characters without spaces.');
  }
  if (!isRealTime(h[CeHeaders.time])) {
    return invalid(
      'Header ce_time must be a real date and time, written as an RFC 3339 timestamp with a time zone, e.g. 2026-11-23T10:15:00Z.',
    );
  }
  if (!/^[\x21-\x7e]{1,200}$/.test(h[CeHeaders.type])) {
    return invalid(
      'Header ce_type must be 1-200 printable ASCII characters, e.g. uk.gov.council.finance.spend.',
    );
  }
  const [mediaType, ...params] = h[CeHeaders.contentType].split(';').map((p) => p.trim());
  const contentType = mediaType.toLowerCase();
  if (!(SUPPORTED_CONTENT_TYPES as readonly string[]).includes(contentType)) {
    return invalid(`Header content-type must be one of ${SUPPORTED_CONTENT_TYPES.join(', ')}.`);
  }
  const charsetParam = params.find((p) => p.toLowerCase().startsWith('charset='));
  return ok({
    id: h[CeHeaders.id],
    source: h[CeHeaders.source],
    type: h[CeHeaders.type],
    time: h[CeHeaders.time],
    contentType: contentType as SupportedContentType,
    charset: charsetParam?.slice('charset='.length).replace(/"/g, '').toLowerCase(),
  });
}

/**
 * An RFC 3339 timestamp that names a real instant. `Date.parse` alone is not enough: it rolls
 * 2026-02-30 over to 2 March and 24:00 to the next day, so the calendar fields are checked here.
 */
function isRealTime(value: string): boolean {
  const m = TIME_PATTERN.exec(value);
  if (!m || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetOk
  );
}

function invalid(reason: string): Result<CloudEventEnvelope> {
  return fail(ErrorCodes.ENVELOPE_HEADER_INVALID, reason, 'envelope');
}

/** Builds binary-mode headers for a record a council system (or the demo publisher) sends. */
export function cloudEventHeaders(attrs: {
  id: string;
  source: string;
  type: string;
  time?: string;
  contentType: SupportedContentType | string;
}): Record<string, string> {
  return {
    [CeHeaders.specversion]: '1.0',
    [CeHeaders.id]: attrs.id,
    [CeHeaders.source]: attrs.source,
    [CeHeaders.type]: attrs.type,
    [CeHeaders.time]: attrs.time ?? new Date().toISOString(),
    [CeHeaders.contentType]: attrs.contentType,
  };
}
