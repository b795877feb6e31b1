/** One first arrival of an idempotency key. */
export interface Arrival {
  /** 1-based arrival order across all services. */
  seq: number;
  service: string;
  idempotencyKey: string;
  canonicalId: string | null;
  revision: string | null;
  at: string;
}

/** What `GET /ssc/received` answers. */
export interface ReceiptsSummary {
  /** The service asked about, or null for all of them. */
  service: string | null;
  /** Requests accepted (200), repeats included. */
  count: number;
  /** Distinct idempotency keys accepted. */
  unique: number;
  /** Repeats of a key already accepted (answered 200, not recorded again). */
  duplicates: number;
  /** Requests answered with an error because the simulator was told to fail or reject. */
  refused: number;
  /** First arrivals, in arrival order. */
  arrivals: Arrival[];
  /** Per canonical id (the Kafka key), the revisions in the order they first arrived. */
  byCanonicalId: Record<string, Array<string | null>>;
}

interface ServiceLog {
  byKey: Map<string, Arrival>;
  duplicates: number;
  refused: number;
}

/** Keys remembered per service: the de-duplication window of a long-running demo. */
const MAX_KEYS_PER_SERVICE = 100_000;

/**
 * What the simulated SSC received, in memory: de-duplicated by Idempotency-Key per service, as a real
 * receiver must be for the hub's at-least-once HTTP delivery to be exactly-once at the SSC.
 */
export class SscReceiptsStore {
  private readonly services = new Map<string, ServiceLog>();
  private seq = 0;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Records an accepted request; `duplicate` when its key was accepted before (nothing is recorded then). */
  accept(
    service: string,
    idempotencyKey: string,
    canonicalId: string | null,
    revision: string | null,
  ): { arrival: Arrival; duplicate: boolean } {
    const log = this.log(service);
    const seen = log.byKey.get(idempotencyKey);
    if (seen) {
      log.duplicates += 1;
      return { arrival: seen, duplicate: true };
    }
    const arrival: Arrival = {
      seq: ++this.seq,
      service,
      idempotencyKey,
      canonicalId,
      revision,
      at: this.clock().toISOString(),
    };
    log.byKey.set(idempotencyKey, arrival);
    if (log.byKey.size > MAX_KEYS_PER_SERVICE) log.byKey.delete(log.byKey.keys().next().value as string);
    return { arrival, duplicate: false };
  }

  /** Counts a request the simulator answered with an error (told to fail or reject). */
  refuse(service: string): void {
    this.log(service).refused += 1;
  }

  summary(service?: string): ReceiptsSummary {
    const logs =
      service === undefined
        ? [...this.services.values()]
        : [this.services.get(service)].filter((l): l is ServiceLog => l !== undefined);
    const arrivals = logs.flatMap((l) => [...l.byKey.values()]).sort((a, b) => a.seq - b.seq);
    const duplicates = logs.reduce((n, l) => n + l.duplicates, 0);
    const byCanonicalId: Record<string, Array<string | null>> = {};
    for (const a of arrivals) {
      if (a.canonicalId === null) continue;
      (byCanonicalId[a.canonicalId] ??= []).push(a.revision);
    }
    return {
      service: service ?? null,
      count: arrivals.length + duplicates,
      unique: arrivals.length,
      duplicates,
      refused: logs.reduce((n, l) => n + l.refused, 0),
      arrivals,
      byCanonicalId,
    };
  }

  reset(): void {
    this.services.clear();
  }

  private log(service: string): ServiceLog {
    let log = this.services.get(service);
    if (!log) {
      log = { byKey: new Map(), duplicates: 0, refused: 0 };
      this.services.set(service, log);
    }
    return log;
  }
}
