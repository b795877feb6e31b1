import {
  Condition,
  DataSharingAgreement,
  Destination,
  RouteRule,
  RoutingConfig,
} from './routing-config.types';

/** What the router needs to know about a canonical record to route it. */
export interface RoutableRecord {
  council: { slug: string };
  schema: string;
  operation: string;
  data: Record<string, unknown>;
  [key: string]: unknown;
}

export type RoutingDecision =
  | { outcome: 'routed'; route: RouteRule; destination: Destination; agreement: DataSharingAgreement }
  | { outcome: 'refused'; route: RouteRule; destination: Destination; reason: string };

/**
 * The routing table, compiled once at start-up from configuration: rules matched by domain, entity,
 * council and content; each match checked against its data-sharing agreement. A record may match
 * several routes (fan-out); one that matches none is `unrouted` (an empty decision list).
 */
export class RoutingTable {
  private readonly destinations = new Map<string, Destination>();
  private readonly agreements = new Map<string, DataSharingAgreement>();
  private readonly compiled: Array<{
    rule: RouteRule;
    test: (r: RoutableRecord, entity: string, domain: string) => boolean;
  }>;

  constructor(readonly config: RoutingConfig) {
    const problems: string[] = [];
    for (const d of config.destinations) this.destinations.set(d.id, d);
    for (const a of config.agreements) this.agreements.set(a.id, a);
    const routeIds = new Set<string>();
    for (const r of config.routes) {
      if (routeIds.has(r.id)) problems.push(`route ${r.id}: duplicate id`);
      routeIds.add(r.id);
      if (!this.destinations.has(r.destination))
        problems.push(`route ${r.id}: unknown destination "${r.destination}"`);
      if (!this.agreements.has(r.agreement))
        problems.push(`route ${r.id}: unknown agreement "${r.agreement}"`);
    }
    if (problems.length) throw new Error(`Invalid routing configuration:\n  - ${problems.join('\n  - ')}`);
    this.compiled = config.routes.map((rule) => ({ rule, test: compileMatch(rule) }));
  }

  get allDestinations(): Destination[] {
    return [...this.destinations.values()];
  }

  /** Every decision for one record, in route order. `today` is an ISO date for agreement validity. */
  decide(record: RoutableRecord, entity: string, domain: string, today: string): RoutingDecision[] {
    const decisions: RoutingDecision[] = [];
    for (const { rule, test } of this.compiled) {
      if (!test(record, entity, domain)) continue;
      const destination = this.destinations.get(rule.destination)!;
      const agreement = this.agreements.get(rule.agreement)!;
      const refusal = agreementRefusal(agreement, record.council.slug, entity, today);
      decisions.push(
        refusal
          ? { outcome: 'refused', route: rule, destination, reason: refusal }
          : { outcome: 'routed', route: rule, destination, agreement },
      );
    }
    return decisions;
  }
}

/** Why an agreement does not cover this council's record of this type today; undefined when it does. */
export function agreementRefusal(
  a: DataSharingAgreement,
  council: string,
  entity: string,
  today: string,
): string | undefined {
  if (!a.parties.includes(council)) return `Agreement ${a.id} does not name council ${council} as a party.`;
  if (!a.recordTypes.includes(entity)) return `Agreement ${a.id} does not cover ${entity} records.`;
  if (today < a.validFrom) return `Agreement ${a.id} starts on ${a.validFrom}.`;
  if (a.validTo && today > a.validTo) return `Agreement ${a.id} ended on ${a.validTo}.`;
  return undefined;
}

function compileMatch(rule: RouteRule): (r: RoutableRecord, entity: string, domain: string) => boolean {
  const councils = rule.match.councils ? new Set(rule.match.councils) : undefined;
  const conditions = (rule.match.where ?? []).map(compileCondition);
  return (record, entity, domain) =>
    (rule.match.domain === undefined || rule.match.domain === domain) &&
    (rule.match.entity === undefined || rule.match.entity === entity) &&
    (councils === undefined || councils.has(record.council.slug)) &&
    conditions.every((c) => c(record));
}

function compileCondition(c: Condition): (r: RoutableRecord) => boolean {
  const path = c.field.split('.');
  const get = (r: RoutableRecord): unknown =>
    path.reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      r,
    );
  switch (c.op) {
    case 'exists':
      return (r) => get(r) !== undefined && get(r) !== null;
    case 'eq':
      return (r) => get(r) === c.value;
    case 'ne':
      return (r) => get(r) !== c.value;
    case 'in': {
      const set = new Set(Array.isArray(c.value) ? c.value : [c.value]);
      return (r) => set.has(get(r) as string | number);
    }
    default: {
      const bound = Number(c.value);
      const cmp = {
        gt: (a: number) => a > bound,
        gte: (a: number) => a >= bound,
        lt: (a: number) => a < bound,
        lte: (a: number) => a <= bound,
      }[c.op];
      return (r) => {
        const v = get(r);
        return typeof v === 'number' && cmp(v);
      };
    }
  }
}
