/** A data-sharing agreement: which parties may share which record types, for what purpose, when. */
export interface DataSharingAgreement {
  id: string;
  title: string;
  /** Council slugs and `ssc` (the shared-service centre). */
  parties: string[];
  /** Entity names, e.g. `finance.spend`. */
  recordTypes: string[];
  purpose: string;
  /** ISO dates, inclusive. */
  validFrom: string;
  validTo?: string;
}

export interface KafkaDestination {
  id: string;
  kind: 'kafka';
  /** Delivers to `ssc.<service>`. */
  service: string;
}

/** A webhook, delivered by apps/delivery (defaults: apps/delivery/src/delivery-policy.ts). */
export interface HttpDestination {
  id: string;
  kind: 'http';
  url: string;
  /** Connect and response timeouts, milliseconds. */
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  /** HTTP attempts per record, the first included. */
  maxAttempts?: number;
}

export type Destination = KafkaDestination | HttpDestination;

export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists';

/** A content condition on a canonical record field (dotted path from the record root, e.g. `data.netAmountPence`). */
export interface Condition {
  field: string;
  op: ConditionOp;
  value?: string | number | boolean | Array<string | number>;
}

export interface RouteRule {
  id: string;
  match: {
    /** e.g. `finance` */
    domain?: string;
    /** e.g. `finance.spend` */
    entity?: string;
    /** Council slugs; absent means every council. */
    councils?: string[];
    where?: Condition[];
  };
  destination: string;
  /** The data-sharing agreement that allows this flow. */
  agreement: string;
}

export interface RoutingConfig {
  agreements: DataSharingAgreement[];
  destinations: Destination[];
  routes: RouteRule[];
}
