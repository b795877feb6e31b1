import { NewestRevision, RejectedEvent, TransformedEvent } from './transform-history.port';

/**
 * What one or more batches decided and nothing has made durable yet: the batch being decided, or the
 * batches decided before it for the same Kafka transaction. Indexed the way the duplicate and order rules
 * ask (by revision, by canonical id, by revision and payload hash), and kept as lists for
 * RecentTransforms once the transaction has committed.
 */
export class DecidedEvents {
  readonly transformed: TransformedEvent[] = [];
  readonly rejected: RejectedEvent[] = [];
  private readonly byRevision = new Map<string, TransformedEvent>();
  private readonly newestByRecord = new Map<string, NewestRevision>();
  private readonly rejectionsByPayload = new Map<string, RejectedEvent>();

  addTransformed(e: TransformedEvent): void {
    this.transformed.push(e);
    this.byRevision.set(e.revision, e);
    const known = this.newestByRecord.get(e.canonicalId);
    if (!known || known.eventTimeMs <= e.eventTimeMs) this.newestByRecord.set(e.canonicalId, e);
  }

  addRejected(r: RejectedEvent): void {
    this.rejected.push(r);
    // The first rejection stays the one pointed at: it is the dead letter the console lists and replays.
    const key = rejectionKey(r.revision, r.payloadSha256);
    if (!this.rejectionsByPayload.has(key)) this.rejectionsByPayload.set(key, r);
  }

  /** Adds everything another set decided, in its order. */
  addAll(other: DecidedEvents): void {
    for (const e of other.transformed) this.addTransformed(e);
    for (const r of other.rejected) this.addRejected(r);
  }

  canonicalIdOf(revision: string): string | undefined {
    return this.byRevision.get(revision)?.canonicalId;
  }

  newestOf(canonicalId: string): NewestRevision | undefined {
    return this.newestByRecord.get(canonicalId);
  }

  rejectionOf(revision: string, payloadSha256: string): RejectedEvent | undefined {
    return this.rejectionsByPayload.get(rejectionKey(revision, payloadSha256));
  }
}

function rejectionKey(revision: string, payloadSha256: string): string {
  return `${revision}\u001f${payloadSha256}`;
}
