import { randomBytes } from 'node:crypto';

/**
 * A name no other test (or earlier run against a kept broker) uses: `<prefix>-<epoch ms>-<6 hex>`, e.g.
 * `council.coventry.finance-1732406400000-a1b2c3`. Valid as a Kafka topic name when the prefix is.
 * For Postgres identifiers use {@link uniqueIdentifier}.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now()}-${randomBytes(3).toString('hex')}`;
}

/**
 * Like {@link uniqueName}, but a valid unquoted Postgres identifier (lower case, `_` only, at most 63
 * characters), e.g. `audit_test_1732406400000_a1b2c3`.
 */
export function uniqueIdentifier(prefix: string): string {
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^([^a-z_])/, '_$1')
    .slice(0, 40);
  return `${safePrefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
}
