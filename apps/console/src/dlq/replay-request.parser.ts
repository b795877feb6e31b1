import { isDomain } from '@hub/platform';
import { MAX_REPLAY_PER_REQUEST, ReplaySelection } from './replay-dead-letters.use-case';

/** Expected failures of parsing a request come back as values; the controller turns them into a 400. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const EVENT_ID = /^[0-9a-f]{32}$/;
const SLUG = /^[a-z][a-z0-9-]{1,40}$/;
const CODE = /^[A-Z]+\.[A-Z_]+$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An optional ISO 8601 date or time; `undefined` when absent, a message when malformed. */
export function parseOptionalDate(name: string, value: unknown): Parsed<Date | undefined> {
  if (value === undefined || value === null || value === '') return { ok: true, value: undefined };
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    return { ok: false, message: `${name} must be an ISO 8601 date or time.` };
  return { ok: true, value: new Date(value) };
}

/**
 * Reads the body of `POST /api/dlq/replay`: `{ "ids": [...] }` (rejection audit event ids, at most 500)
 * or `{ "filter": { "council", "domain", "code", "from", "to" } }` with at least one criterion (so an
 * empty filter cannot replay everything by accident).
 */
export function parseReplayRequest(body: unknown): Parsed<ReplaySelection> {
  if (!isRecord(body))
    return { ok: false, message: 'Send a JSON object: {"ids": [...]} or {"filter": {...}}.' };
  const { ids, filter } = body;
  if ((ids === undefined) === (filter === undefined))
    return { ok: false, message: 'Send exactly one of "ids" or "filter".' };
  if (ids !== undefined) {
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_REPLAY_PER_REQUEST) {
      return {
        ok: false,
        message: `"ids" must be a list of 1 to ${MAX_REPLAY_PER_REQUEST} rejection ids (from GET /api/dlq).`,
      };
    }
    const bad = ids.filter((id) => typeof id !== 'string' || !EVENT_ID.test(id));
    if (bad.length)
      return {
        ok: false,
        message: `"ids" must hold rejection ids (32 hex characters, from GET /api/dlq); ${bad.length} do not.`,
      };
    return { ok: true, value: { ids: ids as string[] } };
  }
  if (!isRecord(filter))
    return { ok: false, message: '"filter" must be an object with council, domain, code, from or to.' };
  const unknown = Object.keys(filter).filter((k) => !['council', 'domain', 'code', 'from', 'to'].includes(k));
  if (unknown.length)
    return {
      ok: false,
      message: `"filter" does not take ${unknown.join(', ')}; use council, domain, code, from, to.`,
    };
  const { council, domain, code } = filter;
  if (council !== undefined && (typeof council !== 'string' || !SLUG.test(council)))
    return { ok: false, message: 'filter.council must be a council slug.' };
  if (domain !== undefined && (typeof domain !== 'string' || !isDomain(domain)))
    return { ok: false, message: 'filter.domain must be hr, finance, crm or waste.' };
  if (code !== undefined && (typeof code !== 'string' || !CODE.test(code)))
    return { ok: false, message: 'filter.code must be an error code such as SOURCE.PARSE_ERROR.' };
  const from = parseOptionalDate('filter.from', filter.from);
  if (!from.ok) return from;
  const to = parseOptionalDate('filter.to', filter.to);
  if (!to.ok) return to;
  if (
    council === undefined &&
    domain === undefined &&
    code === undefined &&
    from.value === undefined &&
    to.value === undefined
  ) {
    return { ok: false, message: '"filter" needs at least one of council, domain, code, from or to.' };
  }
  return {
    ok: true,
    value: {
      filter: {
        council: council as string | undefined,
        domain: domain as string | undefined,
        code: code as string | undefined,
        from: from.value,
        to: to.value,
      },
    },
  };
}
