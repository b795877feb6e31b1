import { createHash } from 'node:crypto';

/** Hex SHA-256 of the bytes exactly as received (before decoding), so the same upload always hashes the same. */
export function sha256(bytes: Buffer | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
