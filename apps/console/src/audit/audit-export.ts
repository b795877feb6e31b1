import { AuditEventView } from '@hub/audit';

const CSV_COLUMNS: Array<keyof AuditEventView> = [
  'recordedAt',
  'occurredAt',
  'chain',
  'seq',
  'eventId',
  'stage',
  'actor',
  'council',
  'domain',
  'entity',
  'sourceEventId',
  'canonicalId',
  'revision',
  'deliveryId',
  'fileId',
  'code',
  'detail',
  'hash',
];

/** Audit events as CSV (RFC 4180 quoting; `detail` as JSON in one cell), for auditors' spreadsheets. */
export function toCsv(rows: readonly AuditEventView[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') +
    '\n'
  );
}
