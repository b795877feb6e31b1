/**
 * Column and property names are matched by their normalised form: Unicode NFKC, lower case, and every
 * character that is not a letter or a digit removed (whitespace, punctuation, symbols, underscores, a
 * byte-order mark): `" Amount "`, `"\uFEFFBody"`, `"Supplier_Name"` and `"@_code"` become `amount`,
 * `body`, `suppliername`, `code`.
 *
 * Kept private to `@hub/mapping` on purpose: `@hub/source-formats` has its own `normaliseHeader` with the
 * same rule (checked identical when both were written). If the two ever need to be one, move it to a named library both
 * depend on; do not import one from the other.
 */
export function normaliseHeader(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const CACHE_LIMIT = 10_000;
/** Real header names are short; a hostile record's 32 KB keys must not fill the cache (10,000 × 32 KB). */
const CACHEABLE_NAME_LENGTH = 256;
const cache = new Map<string, string>();

/**
 * {@link normaliseHeader} with a bounded cache: the same few dozen header names arrive on every row, so
 * each is normalised once per process.
 */
export function normaliseHeaderCached(name: string): string {
  let normalised = cache.get(name);
  if (normalised === undefined) {
    normalised = normaliseHeader(name);
    if (cache.size < CACHE_LIMIT && name.length <= CACHEABLE_NAME_LENGTH) cache.set(name, normalised);
  }
  return normalised;
}
