import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LocalToken {
  name: string;
  roles: string[];
  token: string;
}

const PRINCIPALS: Array<Omit<LocalToken, 'token'>> = [
  { name: 'ops-local', roles: ['ops'] },
  { name: 'auditor-local', roles: ['auditor'] },
  { name: 'admin-local', roles: ['admin'] },
  { name: 'coventry-local', roles: ['council:coventry'] },
  { name: 'solihull-local', roles: ['council:solihull'] },
  { name: 'warwickshire-local', roles: ['council:warwickshire'] },
];

/**
 * The local tokens file for `npm start` and tests: random tokens, made once and kept (so a browser
 * tab keeps working across restarts). Never used outside this machine; production token files hold
 * only sha256 hashes (see apps/console/README.md).
 */
export function ensureLocalTokens(file: string): LocalToken[] {
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { tokens: LocalToken[] };
    if (PRINCIPALS.every((p) => parsed.tokens.some((t) => t.name === p.name && t.token)))
      return parsed.tokens;
  }
  const tokens = PRINCIPALS.map((p) => ({
    ...p,
    token: `hub_${p.name.split('-')[0]}_${randomBytes(18).toString('base64url')}`,
  }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ tokens }, null, 2) + '\n', { mode: 0o600 });
  return tokens;
}

/** The token for a role, e.g. tokenFor(tokens, 'auditor') or tokenFor(tokens, 'council:coventry'). */
export function tokenFor(tokens: LocalToken[], role: string): string {
  const found = tokens.find((t) => t.roles.includes(role));
  if (!found) throw new Error(`no local token has role ${role}`);
  return found.token;
}
