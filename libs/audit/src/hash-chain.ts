import { createHash } from 'node:crypto';
import { AuditDetail, AuditEvent } from './audit-event';

/** An audit event as the row the writer stores and hashes: chain, sequence and time added, absent ids null. */
export function chainedFieldsOf(chain: number, seq: bigint, e: AuditEvent, recordedAt: Date): ChainedFields {
  return {
    chain,
    seq: seq.toString(),
    eventId: e.eventId,
    stage: e.stage,
    occurredAt: new Date(e.occurredAt),
    recordedAt,
    actor: e.actor,
    council: e.council ?? null,
    domain: e.domain ?? null,
    entity: e.entity ?? null,
    sourceEventId: e.sourceEventId ?? null,
    canonicalId: e.canonicalId ?? null,
    revision: e.revision ?? null,
    deliveryId: e.deliveryId ?? null,
    fileId: e.fileId ?? null,
    code: e.code ?? null,
    detail: e.detail,
  };
}

/** The first link of every chain. */
export const GENESIS_HASH = Buffer.alloc(32);

/** The columns of a stored audit row that the hash covers, in a fixed order. */
export interface ChainedFields {
  chain: number;
  seq: string;
  eventId: string;
  stage: string;
  occurredAt: Date;
  recordedAt: Date;
  actor: string;
  council: string | null;
  domain: string | null;
  entity: string | null;
  sourceEventId: string | null;
  canonicalId: string | null;
  revision: string | null;
  deliveryId: string | null;
  fileId: string | null;
  code: string | null;
  detail: AuditDetail;
}

/**
 * JSON with object keys sorted at every level: jsonb reorders keys, so the hash must not depend on order.
 * Its output is part of every stored hash, so it must never change: byte for byte what
 * {@link stableJsonReference} gives (hash-chain.spec.ts compares them on random values). Written with
 * loops and string concatenation because the audit writer runs it twice per event (hash and COPY), and
 * the entries/filter/sort/map/join form was the writer's largest cost (bench --profile: 11% of its CPU).
 */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      // As Array#join: an element that serialises to nothing (undefined, a function) leaves an empty slot.
      out += stableJson(value[i] as unknown) ?? '';
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // Default sort: UTF-16 code unit order, the same as comparing the strings with < and >.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    // As a template literal: a value that serialises to nothing (a function) is written as `undefined`.
    out += `${JSON.stringify(key)}:${stableJson(v)}`;
  }
  return `${out}}`;
}

/** The original, plain form of {@link stableJson}: the definition the fast one is tested against. */
export function stableJsonReference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJsonReference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJsonReference(v)}`).join(',')}}`;
}

/**
 * hash = SHA-256(previous hash ‖ stable serialisation of the row), the row serialised as the JSON array
 * of {@link ChainedFields} in declaration order (`stableJson([chain, seq, …, code, detail])`).
 * `detailJson` is `stableJson(row.detail)` when the caller has it already (the writer also stores it), so
 * it is serialised once per event; every field before it is a string, number or null.
 */
export function chainHash(prevHash: Buffer, row: ChainedFields, detailJson = stableJson(row.detail)): Buffer {
  const body =
    `[${row.chain},${JSON.stringify(row.seq)},${JSON.stringify(row.eventId)},${JSON.stringify(row.stage)},` +
    `${JSON.stringify(row.occurredAt.toISOString())},${JSON.stringify(row.recordedAt.toISOString())},` +
    `${JSON.stringify(row.actor)},${JSON.stringify(row.council)},${JSON.stringify(row.domain)},` +
    `${JSON.stringify(row.entity)},${JSON.stringify(row.sourceEventId)},${JSON.stringify(row.canonicalId)},` +
    `${JSON.stringify(row.revision)},${JSON.stringify(row.deliveryId)},${JSON.stringify(row.fileId)},` +
    `${JSON.stringify(row.code)},${detailJson}]`;
  return createHash('sha256').update(prevHash).update(body).digest();
}
