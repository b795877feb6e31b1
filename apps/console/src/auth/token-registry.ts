import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Principal, Role } from './principal';

/**
 * One entry of the tokens file. Production files hold only `sha256` (hex of the token); the local
 * file written by `npm start` also holds the plain `token` so it can print it.
 */
interface TokenEntry {
  name: string;
  /** e.g. "ops", "auditor", "admin", "council:coventry" */
  roles: string[];
  sha256?: string;
  token?: string;
}

const ROLE_PATTERN = /^(ops|auditor|admin|council:[a-z][a-z0-9-]+)$/;

/** Bearer tokens to principals. Loaded once at start-up; lookups compare hashes in constant time. */
export class TokenRegistry {
  private readonly entries: Array<{ hash: Buffer; principal: Principal }>;

  constructor(entries: TokenEntry[]) {
    this.entries = entries.map((e) => {
      const bad = e.roles.filter((r) => !ROLE_PATTERN.test(r));
      if (bad.length) throw new Error(`token "${e.name}": unknown role(s) ${bad.join(', ')}`);
      const hex = e.sha256 ?? (e.token ? sha256(e.token) : undefined);
      if (!hex) throw new Error(`token "${e.name}": needs sha256 or token`);
      const roles = new Set<Role>();
      let council: string | undefined;
      for (const r of e.roles) {
        if (r.startsWith('council:')) {
          roles.add('council');
          council = r.slice('council:'.length);
        } else roles.add(r as Role);
      }
      return { hash: Buffer.from(hex, 'hex'), principal: { name: e.name, roles: [...roles], council } };
    });
  }

  static fromFile(file: string): TokenRegistry {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { tokens?: TokenEntry[] };
    if (!Array.isArray(parsed.tokens)) throw new Error(`${file}: expected {"tokens": [...]}`);
    return new TokenRegistry(parsed.tokens);
  }

  resolve(token: string): Principal | undefined {
    const hash = Buffer.from(sha256(token), 'hex');
    let found: Principal | undefined;
    for (const e of this.entries)
      if (e.hash.length === hash.length && timingSafeEqual(e.hash, hash)) found = e.principal;
    return found;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
