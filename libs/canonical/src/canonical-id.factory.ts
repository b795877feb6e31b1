import { createHash } from 'node:crypto';

/**
 * Namespace for the hub's UUID v5 ids. Fixed forever: changing it would change every canonical id.
 */
export const HUB_ID_NAMESPACE = '3f0c6a52-6d1e-4c55-9a51-2b7a0f4e8d11';

const HUB_NAMESPACE_BYTES = Buffer.from(HUB_ID_NAMESPACE.replace(/-/g, ''), 'hex');

/** RFC 4122 UUID version 5 (SHA-1, name-based) of `name` in `namespace` (default: the hub's). */
export function uuidV5(name: string, namespace: string = HUB_ID_NAMESPACE): string {
  const namespaceBytes =
    namespace === HUB_ID_NAMESPACE ? HUB_NAMESPACE_BYTES : Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Stable canonical id of a source record: the same council, entity and source record id always give
 * the same id, so a later event about the same record upserts rather than duplicates.
 * @param entityName e.g. `finance.spend`
 */
export function canonicalRecordId(councilSlug: string, entityName: string, sourceRecordId: string): string {
  // The unit separator cannot occur in slugs or entity names, so the three parts cannot run together.
  return uuidV5(`record\u001f${councilSlug}\u001f${entityName}\u001f${sourceRecordId}`);
}

/** Id unique per source event (`ce_id` is unique per council's source). */
export function canonicalRevisionId(councilSlug: string, eventId: string): string {
  return uuidV5(`revision\u001f${councilSlug}\u001f${eventId}`);
}
