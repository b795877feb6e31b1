/** The four service domains every council feed belongs to. */
export const DOMAINS = ['hr', 'finance', 'crm', 'waste'] as const;
export type Domain = (typeof DOMAINS)[number];

export function isDomain(value: string): value is Domain {
  return (DOMAINS as readonly string[]).includes(value);
}

const SLUG = /^[a-z][a-z0-9-]{1,40}$/;

/**
 * The one list of topic names (see CONTRACT.md). Every app builds names here; no topic string is
 * written inline anywhere else. `namespace` prefixes every name (empty in production, unique per test).
 */
export class TopicNames {
  constructor(readonly namespace = '') {}

  /** `council.<council>.<domain>`: what a council's back-office system publishes. */
  council(council: string, domain: Domain): string {
    assertSlug(council);
    return `${this.namespace}council.${council}.${domain}`;
  }

  /** `canonical.<domain>.<entity>`: canonical records (JSON), keyed by canonical id. */
  canonical(domain: Domain, entity: string): string {
    assertSlug(entity);
    return `${this.namespace}canonical.${domain}.${entity}`;
  }

  /** `dlq.<council>.<domain>`: the original bytes of records the hub could not accept, with error headers. */
  dlq(council: string, domain: Domain): string {
    assertSlug(council);
    return `${this.namespace}dlq.${council}.${domain}`;
  }

  /** `ssc.<service>`: a shared-service centre destination. */
  ssc(service: string): string {
    assertSlug(service);
    return `${this.namespace}ssc.${service}`;
  }

  /** `hub.dlq.destination.<destination>`: records a destination refused or never acknowledged. */
  destinationDlq(destination: string): string {
    assertSlug(destination);
    return `${this.namespace}hub.dlq.destination.${destination}`;
  }

  /** `hub.delivery.<destination>`: routed records waiting for an HTTP destination's delivery worker. */
  delivery(destination: string): string {
    assertSlug(destination);
    return `${this.namespace}hub.delivery.${destination}`;
  }

  /** `hub.audit.v1`: audit events in batches, consumed by the audit writer. */
  get audit(): string {
    return `${this.namespace}hub.audit.v1`;
  }

  /** Reads `council.<council>.<domain>` back into its parts; undefined for any other topic. */
  parseCouncil(topic: string): { council: string; domain: Domain } | undefined {
    if (!topic.startsWith(`${this.namespace}council.`)) return undefined;
    const [, council, domain, ...rest] = topic.slice(this.namespace.length).split('.');
    if (rest.length > 0 || !council || !domain || !isDomain(domain)) return undefined;
    return { council, domain };
  }

  /** Reads `canonical.<domain>.<entity>` back into its parts. */
  parseCanonical(topic: string): { domain: Domain; entity: string } | undefined {
    if (!topic.startsWith(`${this.namespace}canonical.`)) return undefined;
    const [, domain, entity, ...rest] = topic.slice(this.namespace.length).split('.');
    if (rest.length > 0 || !entity || !domain || !isDomain(domain)) return undefined;
    return { domain, entity };
  }
}

function assertSlug(value: string): void {
  if (!SLUG.test(value))
    throw new Error(`"${value}" is not a valid topic name part (lower-case letters, digits, dashes)`);
}
