/** Roles from CONTRACT.md. `council:<slug>` is carried as role `council` plus the slug. */
export type Role = 'ops' | 'auditor' | 'admin' | 'council';

/** Who is calling: resolved from the bearer token, never from anything the caller asserts. */
export interface Principal {
  name: string;
  roles: Role[];
  /** Set for council tokens: the only council whose data this principal may see. */
  council?: string;
}

/** True when the principal may see the given council's data. */
export function canSeeCouncil(p: Principal, council: string | null | undefined): boolean {
  if (p.roles.includes('ops') || p.roles.includes('auditor') || p.roles.includes('admin')) return true;
  return !!council && p.council === council;
}

/** The council filter to apply to queries: undefined for partnership-wide roles. */
export function councilScope(p: Principal): string | undefined {
  if (p.roles.includes('ops') || p.roles.includes('auditor') || p.roles.includes('admin')) return undefined;
  return p.council ?? '\u0000no-council';
}
