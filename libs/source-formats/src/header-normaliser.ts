import type { SourceRecord } from './source-format.types';

/**
 * Normalises a column or field name for comparison, so that 'Transaction number', ' TransactionNumber ',
 * 'transaction_number' and 'TRANSACTION-NUMBER' compare equal: Unicode NFKC, lower case, and every character
 * that is not a letter or a digit removed (spaces, punctuation, BOM, non-breaking spaces, currency signs).
 *
 * Used to find CSV header rows and by the mapping engine to look columns up by alias.
 */
export function normaliseHeader(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const CACHE_LIMIT = 10_000;
/** Longer names are normalised every time rather than kept: a hostile header row must not pin megabytes. */
const CACHEABLE_LENGTH = 256;
const cache = new Map<string, string>();

/**
 * {@link normaliseHeader} with a bounded cache. A text/csv message carries its header line every time and the
 * header search normalises every cell and every expected alias, so the same few dozen names come back on every
 * message; NFKC and the Unicode-class regex cost more than the rest of the header search.
 */
export function normaliseHeaderCached(name: string): string {
  let normalised = cache.get(name);
  if (normalised === undefined) {
    normalised = normaliseHeader(name);
    if (name.length <= CACHEABLE_LENGTH && cache.size < CACHE_LIMIT) cache.set(name, normalised);
  }
  return normalised;
}

/**
 * The key of `keys` that matches the first alias (in alias order) after normalisation, or undefined.
 * The mapping engine can call this once per file header instead of once per row.
 */
export function findColumnKey(keys: Iterable<string>, aliases: readonly string[]): string | undefined {
  const byNormalised = new Map<string, string>();
  for (const key of keys) {
    const normalised = normaliseHeader(key);
    // The first column wins when two normalise alike, matching how a person reads the header left to right.
    if (!byNormalised.has(normalised)) byNormalised.set(normalised, key);
  }
  for (const alias of aliases) {
    const key = byNormalised.get(normaliseHeader(alias));
    if (key !== undefined) return key;
  }
  return undefined;
}

/**
 * The value of the first alias present in the record by normalised name (an empty string counts as present),
 * or undefined when no alias names a field of the record.
 */
export function findColumn(record: SourceRecord, aliases: readonly string[]): unknown {
  const key = findColumnKey(Object.keys(record), aliases);
  return key === undefined ? undefined : record[key];
}
