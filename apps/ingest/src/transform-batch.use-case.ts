import { AuditEvent, AuditStages, auditEventId, encodeAuditBatch, payloadSha256 } from '@hub/audit';
import { CanonicalRecord, canonicalRecordId, canonicalRevisionId } from '@hub/canonical';
import {
  CeHeaders,
  ConsumedMessage,
  Domain,
  ErrorCodes,
  Failure,
  HubHeaders,
  HubMetrics,
  InboundBatch,
  OutboundMessage,
  SupportedContentType,
  TopicNames,
  deadLetter,
  readEnvelope,
  repeatedHeaders,
} from '@hub/platform';
import {
  ParsedRecord,
  ParseResult,
  collectValueFlags,
  isRecordRow,
  parseCsvFile,
  parseJsonRecord,
  parseXmlRecord,
  ValueFlags,
} from '@hub/source-formats';
import { DecidedEvents } from './decided-events';
import { FeedCatalogue, ResolvedMapping } from './feed-catalogue.port';
import { RecentTransforms } from './recent-transforms.cache';
import { NewestRevision, PriorTransforms, RejectedEvent, TransformHistory } from './transform-history.port';

const ACTOR = 'ingest';

/**
 * ce_type of rows the console splits from an uploaded file export (`hub.file.row.csv`, `.xml`): they are
 * mapped with the feed's file mapping for that format. The row itself travels as a JSON object.
 */
export const FILE_ROW_TYPE_PREFIX = 'hub.file.row.';

/** The content type of each source format's own messages. */
const CONTENT_TYPE_OF: Record<ResolvedMapping['format'], SupportedContentType> = {
  json: 'application/json',
  xml: 'application/xml',
  csv: 'text/csv',
};

export interface TransformSettings {
  maxRecordBytes: number;
}

type Accepted = { ok: true; canonical: CanonicalRecord; mapping: ResolvedMapping; warnings: string[] };
type Rejected = { ok: false; failure: Failure };

/** A record whose envelope and source passed: it names a source event, so the duplicate rule applies. */
interface SourceEvent {
  revision: string;
  eventTime: string;
  eventTimeMs: number;
}

/** One consumed record after the pure steps (envelope, parse, map), before the history check. */
interface Staged {
  message: ConsumedMessage;
  coordinates: string;
  sourceEventId?: string;
  fileId?: string;
  /** `payloadSha256` of the value: an identical re-send of a rejected event has the same. */
  payloadSha256: string;
  /** Absent when the envelope or source check failed (the result is then a rejection). */
  event?: SourceEvent;
  result: Accepted | Rejected;
}

/** A batch after {@link TransformBatchUseCase.stage}: its `received` events and its staged records. */
interface StagedBatch {
  feed: { council: string; domain: Domain };
  now: Date;
  base: EventBase;
  audit: AuditEvent[];
  staged: Staged[];
}

/** Identifies a batch between prefetch() and execute() (the runner may hand over copies of it). */
function prefetchKey(batch: InboundBatch): string {
  const first = batch.messages[0]?.offset ?? '';
  const last = batch.messages[batch.messages.length - 1]?.offset ?? '';
  return `${batch.topic}:${batch.partition}:${first}:${last}:${batch.messages.length}`;
}

/** Where the duplicate rule found the original: see apps/ingest/README.md, "Duplicates". */
type KnownFrom = 'batch' | 'transaction' | 'memory' | 'audit-log';

/**
 * One partition batch decided but not yet durable: the runner may still abort the transaction holding it,
 * and until it commits, the batches decided after it for the same transaction must see its decisions.
 */
interface PendingBatch {
  lastOffset: string;
  decided: DecidedEvents;
}

/**
 * The ingest use case: one batch of a council topic in, canonical records, DLQ records and audit
 * events out (committed together by the transport). Every consumed record ends in exactly one of
 * canonical, DLQ, `duplicate` or `superseded` (the last two audited and not delivered); nothing is
 * dropped unrecorded.
 *
 * Delivery rules (apps/ingest/README.md):
 * - duplicates: a source event whose revision (uuid v5 of council + ce_id) was already transformed is
 *   not delivered again, and an identical re-send (same revision, same payload hash) of one that was
 *   rejected is not dead-lettered again (unless it is a DLQ replay); checked against this batch, the
 *   earlier batches of the same transaction, this process's recent committed outcomes and the audit log,
 *   in one query per batch;
 * - order: last writer wins by ce_time per canonical record; an event older than the newest transformed
 *   revision of its record is superseded; equal times are delivered (partition order decides).
 *
 * The runner may execute several partition batches one after another and commit their outputs in one
 * transaction; it then calls {@link committed} or {@link aborted} for each of them.
 */
export class TransformBatchUseCase {
  /** Per partition, the batches decided for the open transaction, in offset order. */
  private readonly pending = new Map<string, PendingBatch[]>();
  /** What {@link prefetch} prepared for the batches of the next transaction, by {@link prefetchKey}. */
  private readonly prefetched = new Map<string, { staged: StagedBatch; prior: PriorTransforms }>();

  constructor(
    private readonly catalogue: FeedCatalogue,
    private readonly topics: TopicNames,
    private readonly metrics: HubMetrics,
    private readonly settings: TransformSettings,
    private readonly history: TransformHistory,
    private readonly recent: RecentTransforms = new RecentTransforms(),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Called by the runner with every partition batch of the next transaction before it executes them one
   * by one: the pure steps run for all of them here and the audit log is asked ONCE for the lot, instead
   * of once per batch inside the transaction (at a few hundred records a second a fetch brings a few
   * records per partition, and the per-batch round trips, one after another, were most of Postgres'
   * work and of the ingest's time per transaction; bench/README.md). Only an optimisation: a batch
   * {@link execute} finds nothing prepared for (a single batch, or this failed) does its own lookup.
   * What earlier batches of the same transaction decide is still seen by the later ones (`earlier`).
   */
  async prefetch(batches: readonly InboundBatch[]): Promise<void> {
    this.prefetched.clear();
    if (batches.length < 2) return;
    const ready: Array<[string, StagedBatch]> = [];
    for (const batch of batches) {
      // A batch that cannot be staged fails in execute() alone, as it would have without this.
      const staged = await this.stage(batch).catch(() => undefined);
      if (staged) ready.push([prefetchKey(batch), staged]);
    }
    if (ready.length === 0) return;
    const prior = await this.lookUpHistory(
      ready.flatMap(([, b]) => b.staged),
      this.pendingDecisions(),
    );
    for (const [key, staged] of ready) this.prefetched.set(key, { staged, prior });
  }

  async execute(batch: InboundBatch): Promise<OutboundMessage[]> {
    const key = prefetchKey(batch);
    const prepared = this.prefetched.get(key);
    this.prefetched.delete(key);
    this.forgetRetried(batch);
    // Decided for this transaction by earlier batches (other partitions): delivered once it commits.
    const earlier = this.pendingDecisions();
    const { feed, now, base, audit, staged } = prepared?.staged ?? (await this.stage(batch));
    const out: OutboundMessage[] = [];
    const prior = prepared?.prior ?? (await this.lookUpHistory(staged, earlier));
    // What this batch has decided so far: a repeat later in the same batch is a duplicate too.
    const decidedNow = new DecidedEvents();

    for (const s of staged) {
      const { message, coordinates, sourceEventId, fileId, event, result } = s;
      const entity = result.ok ? `${result.mapping.domain}.${result.mapping.entity}` : undefined;
      const duplicateId = auditEventId(AuditStages.DUPLICATE, coordinates);
      const position = { topic: message.topic, partition: message.partition, offset: message.offset };
      const original = event && this.transformedOriginalOf(event.revision, decidedNow, earlier, prior);
      if (event && original) {
        this.metrics.recordsSkipped.inc({
          council: feed.council,
          domain: feed.domain,
          reason: AuditStages.DUPLICATE,
        });
        audit.push(
          auditEvent(base, duplicateId, AuditStages.DUPLICATE, {
            entity,
            sourceEventId,
            canonicalId: original.canonicalId,
            revision: event.revision,
            fileId,
            detail: Object.assign(position, { duplicateOf: event.revision, knownFrom: original.knownFrom }),
          }),
        );
        continue;
      }
      // A DLQ replay is how a rejected event is put right: it is never a duplicate of its rejection.
      const rejection =
        event &&
        !isReplay(message) &&
        this.rejectionOf(event.revision, s.payloadSha256, decidedNow, earlier, prior);
      if (event && rejection) {
        this.metrics.recordsSkipped.inc({
          council: feed.council,
          domain: feed.domain,
          reason: AuditStages.DUPLICATE,
        });
        audit.push(
          auditEvent(base, duplicateId, AuditStages.DUPLICATE, {
            entity,
            sourceEventId,
            revision: event.revision,
            fileId,
            detail: Object.assign(position, {
              duplicateOf: event.revision,
              knownFrom: rejection.knownFrom,
              // The original's dead letter: its code, and its `rejected` audit event (what a replay takes).
              rejectedAs: rejection.code,
              rejection: rejection.eventId,
            }),
          }),
        );
        continue;
      }
      if (!result.ok) {
        const { failure } = result;
        const eventId = auditEventId(AuditStages.REJECTED, coordinates);
        out.push(deadLetter(this.topics.dlq(feed.council, feed.domain), message, failure, now));
        this.metrics.recordsRejected.inc({ council: feed.council, domain: feed.domain, code: failure.code });
        if (event) {
          decidedNow.addRejected({
            revision: event.revision,
            payloadSha256: s.payloadSha256,
            code: failure.code,
            eventId,
          });
        }
        audit.push(
          auditEvent(base, eventId, AuditStages.REJECTED, {
            sourceEventId,
            // With the payload hash, what tells a later identical re-send (transform-history.adapter.ts).
            revision: event?.revision,
            fileId,
            code: failure.code,
            detail: {
              reason: failure.reason,
              stage: failure.stage,
              dlqTopic: this.topics.dlq(feed.council, feed.domain),
              topic: position.topic,
              partition: position.partition,
              offset: position.offset,
              payloadSha256: s.payloadSha256,
            },
          }),
        );
        continue;
      }
      // An accepted result always has its source event: the envelope passed.
      const sourceEvent = event!;
      const { canonical, mapping } = result;
      const newest = newestOf(
        decidedNow.newestOf(canonical.id),
        earlier.newestOf(canonical.id),
        this.recent.newestOf(canonical.id),
        prior.newest.get(canonical.id),
      );
      if (newest && sourceEvent.eventTimeMs < newest.eventTimeMs) {
        this.metrics.recordsSkipped.inc({
          council: feed.council,
          domain: feed.domain,
          reason: AuditStages.SUPERSEDED,
        });
        audit.push(
          auditEvent(base, auditEventId(AuditStages.SUPERSEDED, coordinates), AuditStages.SUPERSEDED, {
            entity,
            sourceEventId,
            canonicalId: canonical.id,
            revision: canonical.revision,
            fileId,
            detail: {
              topic: message.topic,
              partition: message.partition,
              offset: message.offset,
              eventTime: sourceEvent.eventTime,
              newerEventTime: newest.eventTime,
              newerRevision: newest.revision,
            },
          }),
        );
        continue;
      }
      const canonicalTopic = this.topics.canonical(mapping.domain, mapping.entity);
      out.push({ topic: canonicalTopic, key: canonical.id, value: JSON.stringify(canonical) });
      this.metrics.recordsTransformed.inc({
        council: feed.council,
        domain: feed.domain,
        entity: mapping.entity,
      });
      decidedNow.addTransformed({
        canonicalId: canonical.id,
        revision: sourceEvent.revision,
        eventTime: sourceEvent.eventTime,
        eventTimeMs: sourceEvent.eventTimeMs,
      });
      audit.push(
        auditEvent(base, auditEventId(AuditStages.TRANSFORMED, coordinates), AuditStages.TRANSFORMED, {
          entity,
          sourceEventId,
          canonicalId: canonical.id,
          revision: canonical.revision,
          fileId,
          detail: {
            mappingId: mapping.id,
            mappingVersion: mapping.version,
            schema: mapping.schemaId,
            operation: canonical.operation,
            canonicalTopic,
            // The order rule reads these back from the audit log (transform-history.adapter.ts).
            eventTime: sourceEvent.eventTime,
            eventTimeMs: sourceEvent.eventTimeMs,
            warnings: result.warnings.length ? result.warnings.join(',') : null,
          },
        }),
      );
    }
    out.push({
      topic: this.topics.audit,
      key: `${batch.topic}:${batch.partition}`,
      value: encodeAuditBatch(audit),
    });
    this.addPending(batch, decidedNow);
    return out;
  }

  /** The pure steps for one batch: `received` audit events, envelope, parse and map of every record. */
  private async stage(batch: InboundBatch): Promise<StagedBatch> {
    const feed = this.topics.parseCouncil(batch.topic);
    if (!feed) throw new Error(`ingest consumed ${batch.topic}, which is not a council topic`);
    const now = this.clock();
    const nowIso = now.toISOString();
    const audit: AuditEvent[] = [];
    const labels = { council: feed.council, domain: feed.domain };
    const base: EventBase = { occurredAt: nowIso, actor: ACTOR, council: feed.council, domain: feed.domain };
    const staged: Staged[] = [];
    for (const message of batch.messages) {
      const size = message.value?.length ?? 0;
      this.metrics.recordsReceived.inc(labels);
      this.metrics.bytesReceived.inc(labels, size);
      const ceId = message.headers[CeHeaders.id];
      const sourceEventId = ceId && ceId.length <= 200 ? ceId : undefined;
      const fileId = message.headers[HubHeaders.fileId];
      const coordinates = `${message.topic}/${message.partition}/${message.offset}`;
      const sha = payloadSha256(message.value);
      audit.push(
        auditEvent(base, auditEventId(AuditStages.RECEIVED, coordinates), AuditStages.RECEIVED, {
          sourceEventId,
          fileId,
          detail: {
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
            system: message.headers[CeHeaders.source] ?? null,
            ceType: message.headers[CeHeaders.type] ?? null,
            contentType: message.headers[CeHeaders.contentType] ?? null,
            payloadSha256: sha,
            sizeBytes: size,
            fileRow: message.headers[HubHeaders.fileRow] ? Number(message.headers[HubHeaders.fileRow]) : null,
            replayOf: message.headers[HubHeaders.replayOf] ?? null,
          },
        }),
      );
      const transformed = await this.transform(message, feed.council, feed.domain, nowIso);
      staged.push({ message, coordinates, sourceEventId, fileId, payloadSha256: sha, ...transformed });
    }
    return { feed, now, base, audit, staged };
  }

  /**
   * The runner committed this batch's outputs and offsets (with those of the other batches of its
   * transaction): its transforms and rejections are now durable and may be remembered.
   */
  committed(batch: InboundBatch): void {
    const done = this.takePending(batch);
    if (!done) return;
    this.recent.remember(done.decided.transformed, done.decided.rejected);
    this.reportRecentOutcomes();
  }

  /** The bounded in-memory maps' fill, for /metrics (operators and the bench's memory verdict). */
  private reportRecentOutcomes(): void {
    const { recentOutcomes, recentOutcomesCapacity } = this.metrics;
    recentOutcomes.set({ map: 'transformed' }, this.recent.size);
    recentOutcomes.set({ map: 'newest' }, this.recent.recordCount);
    recentOutcomes.set({ map: 'rejected' }, this.recent.rejectionCount);
    recentOutcomesCapacity.set(this.recent.capacity);
  }

  /**
   * The runner aborted the transaction holding this batch: nothing of it was delivered or dead-lettered,
   * so its decisions are dropped; otherwise its retry (and any other batch) would be taken for a
   * duplicate of records that never left.
   */
  aborted(batch: InboundBatch): void {
    this.takePending(batch);
  }

  private addPending(batch: InboundBatch, decided: DecidedEvents): void {
    const key = partitionKey(batch);
    const entry = { lastOffset: lastOffsetOf(batch), decided };
    const list = this.pending.get(key);
    if (list) list.push(entry);
    else this.pending.set(key, [entry]);
  }

  /** The pending entry of this very batch (the runner reports the batches it executed, as they were). */
  private takePending(batch: InboundBatch): PendingBatch | undefined {
    const key = partitionKey(batch);
    const list = this.pending.get(key);
    const index = list?.findIndex((p) => p.lastOffset === lastOffsetOf(batch)) ?? -1;
    if (!list || index < 0) return undefined;
    const [taken] = list.splice(index, 1);
    if (list.length === 0) this.pending.delete(key);
    return taken;
  }

  /**
   * A batch reads its partition from the committed offset, so a pending batch of the same partition at or
   * after that offset did not commit: its transaction was aborted, even if the runner never said so.
   * Dropping it keeps a retry from being taken for a duplicate of itself.
   */
  private forgetRetried(batch: InboundBatch): void {
    if (batch.messages.length === 0) return;
    const key = partitionKey(batch);
    const from = firstOffsetOf(batch);
    const kept = (this.pending.get(key) ?? []).filter((p) => BigInt(p.lastOffset) < from);
    if (kept.length > 0) this.pending.set(key, kept);
    else this.pending.delete(key);
  }

  /** Everything the open transaction's batches decided so far, in the order they were decided. */
  private pendingDecisions(): DecidedEvents {
    const all = new DecidedEvents();
    for (const list of this.pending.values()) for (const p of list) all.addAll(p.decided);
    return all;
  }

  private async lookUpHistory(staged: readonly Staged[], earlier: DecidedEvents): Promise<PriorTransforms> {
    const revisions = new Set<string>();
    const canonicalIds = new Set<string>();
    for (const s of staged) {
      if (!s.event) continue;
      // What this process knows was transformed needs no round trip: that outranks any rejection.
      const revision = s.event.revision;
      if (this.recent.canonicalIdOf(revision) === undefined && earlier.canonicalIdOf(revision) === undefined)
        revisions.add(revision);
      if (s.result.ok) canonicalIds.add(s.result.canonical.id);
    }
    const end = this.metrics.historyLookup.startTimer();
    try {
      return await this.history.find([...revisions], [...canonicalIds]);
    } finally {
      end();
    }
  }

  /** The transform of this revision, if one is known: its re-send is a duplicate whatever its payload. */
  private transformedOriginalOf(
    revision: string,
    decidedNow: DecidedEvents,
    earlier: DecidedEvents,
    prior: PriorTransforms,
  ): { canonicalId: string; knownFrom: KnownFrom } | undefined {
    const inBatch = decidedNow.canonicalIdOf(revision);
    if (inBatch) return { canonicalId: inBatch, knownFrom: 'batch' };
    const inTransaction = earlier.canonicalIdOf(revision);
    if (inTransaction) return { canonicalId: inTransaction, knownFrom: 'transaction' };
    const remembered = this.recent.canonicalIdOf(revision);
    if (remembered) return { canonicalId: remembered, knownFrom: 'memory' };
    const logged = prior.revisions.get(revision);
    return logged ? { canonicalId: logged, knownFrom: 'audit-log' } : undefined;
  }

  /**
   * The rejection of this revision with this very payload, if one is known: an identical re-send would
   * only be dead-lettered again. A different payload is a correction and is decided afresh.
   */
  private rejectionOf(
    revision: string,
    sha: string,
    decidedNow: DecidedEvents,
    earlier: DecidedEvents,
    prior: PriorTransforms,
  ): (RejectedEvent & { knownFrom: KnownFrom }) | undefined {
    const known: Array<[KnownFrom, RejectedEvent | undefined]> = [
      ['batch', decidedNow.rejectionOf(revision, sha)],
      ['transaction', earlier.rejectionOf(revision, sha)],
      ['memory', this.recent.rejectionOf(revision, sha)],
      ['audit-log', prior.rejections.get(revision)?.find((r) => r.payloadSha256 === sha)],
    ];
    for (const [knownFrom, rejection] of known) if (rejection) return { ...rejection, knownFrom };
    return undefined;
  }

  private async transform(
    message: ConsumedMessage,
    council: string,
    domain: Domain,
    nowIso: string,
  ): Promise<{ event?: SourceEvent; result: Accepted | Rejected }> {
    const reject = (code: Failure['code'], reason: string, stage: Failure['stage']): Rejected => ({
      ok: false,
      failure: { code, reason, stage },
    });
    if (message.value === null) {
      return {
        result: reject(
          ErrorCodes.SOURCE_TOMBSTONE,
          'The record has no value (a tombstone); send deletes as a record whose mapping sets the operation to delete.',
          'envelope',
        ),
      };
    }
    if (message.value.length > this.settings.maxRecordBytes) {
      return {
        result: reject(
          ErrorCodes.SIZE_TOO_LARGE,
          `The record is ${message.value.length} bytes; the limit is ${this.settings.maxRecordBytes} bytes.`,
          'envelope',
        ),
      };
    }
    const repeated = repeatedHeaders(message.rawHeaders);
    if (repeated.length > 0) {
      return {
        result: reject(
          ErrorCodes.ENVELOPE_HEADER_INVALID,
          `Header ${repeated.join(', ')} appears more than once; send each CloudEvents attribute once.`,
          'envelope',
        ),
      };
    }
    const envelope = readEnvelope(message.headers);
    if (!envelope.ok) return { result: { ok: false, failure: envelope.failure } };
    const ce = envelope.value;
    const source = this.catalogue.checkSource(council, domain, ce.source);
    if (!source.ok) return { result: reject(source.code, source.reason, 'envelope') };
    // From here on the record names an authorised source event: a re-send of it is a duplicate whatever
    // its payload now is, so the identity goes with every outcome below.
    const event: SourceEvent = {
      revision: canonicalRevisionId(council, ce.id),
      eventTime: ce.time,
      eventTimeMs: Date.parse(ce.time),
    };
    const rejected = (code: Failure['code'], reason: string, stage: Failure['stage']) => ({
      event,
      result: reject(code, reason, stage),
    });

    const fileFormat = ce.type.startsWith(FILE_ROW_TYPE_PREFIX)
      ? ce.type.slice(FILE_ROW_TYPE_PREFIX.length)
      : undefined;
    const isFileRow = fileFormat === 'csv' || fileFormat === 'xml';
    const mapping = isFileRow
      ? this.catalogue.fileMappingFor(council, domain, fileFormat)
      : this.catalogue.mappingFor(council, domain, ce.type);
    if (!mapping) {
      const known = this.catalogue.knownTypes(council, domain);
      return rejected(
        ErrorCodes.ENVELOPE_TYPE_UNKNOWN,
        `ce_type ${ce.type} is not a record type of the ${council} ${domain} feed; known types: ${known.join(', ') || 'none'}.`,
        'envelope',
      );
    }
    // A mapping reads one format; bytes of another would be mapped by whatever field names happen to
    // match. File rows may also come as JSON objects (the console splits files into JSON rows).
    const expected = CONTENT_TYPE_OF[mapping.format];
    if (ce.contentType !== expected && !(isFileRow && ce.contentType === 'application/json')) {
      return rejected(
        ErrorCodes.ENVELOPE_HEADER_INVALID,
        `Header content-type is ${ce.contentType} but ce_type ${ce.type} of the ${council} ${domain} feed carries ${expected} records.`,
        'envelope',
      );
    }
    const parsed = this.parse(message.value, ce.contentType, ce.charset, mapping, isFileRow);
    if (!parsed.ok) return rejected(parsed.error.code as Failure['code'], parsed.error.reason, 'parse');
    const record = parsed.value;
    if (record.fieldsWithControlCharacters.length > 0) {
      return rejected(
        ErrorCodes.SOURCE_SCHEMA_INVALID,
        `Field ${record.fieldsWithControlCharacters.slice(0, 5).join(', ')} contains control characters (such as NUL); remove them at the source.`,
        'parse',
      );
    }
    if (record.fieldsWithImpreciseNumbers.length > 0) {
      // JSON.parse has already changed the digits: mapping them would deliver a different number or id.
      return rejected(
        ErrorCodes.SOURCE_SCHEMA_INVALID,
        `Field ${record.fieldsWithImpreciseNumbers.slice(0, 5).join(', ')} is an integer too large to be read exactly (beyond 2^53); send it as a string.`,
        'parse',
      );
    }
    const fileId = message.headers[HubHeaders.fileId];
    const fileRow = message.headers[HubHeaders.fileRow];
    const mapped = await mapping.map(record.record, {
      eventId: ce.id,
      fileId,
      row: fileRow ? Number(fileRow) : undefined,
    });
    if (!mapped.ok) {
      const first = mapped.errors[0];
      const more =
        mapped.errors.length > 1
          ? ` (and ${mapped.errors.length - 1} more: ${mapped.errors
              .slice(1, 6)
              .map((e) => e.field)
              .join(', ')})`
          : '';
      return rejected(first.code, `${first.message}${more}`, 'mapping');
    }
    const gss = this.catalogue.councilGss(council)!;
    const entityName = `${mapping.domain}.${mapping.entity}`;
    const canonical: CanonicalRecord = {
      schema: mapping.schemaId,
      id: canonicalRecordId(council, entityName, mapped.recordId),
      revision: event.revision,
      operation: mapped.operation,
      council: { slug: council, gss },
      source: {
        system: source.system,
        recordId: mapped.recordId,
        eventId: ce.id,
        eventType: ce.type,
        eventTime: ce.time,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        ...(fileId && fileRow
          ? { file: { id: fileId, name: message.headers[HubHeaders.fileName] ?? '', row: Number(fileRow) } }
          : {}),
      },
      mapping: { id: mapping.id, version: mapping.version },
      transformedAt: nowIso,
      data: mapped.data as Record<string, unknown>,
    };
    return { event, result: { ok: true, canonical, mapping, warnings: mapped.warnings.map((w) => w.field) } };
  }

  private parse(
    bytes: Buffer,
    contentType: string,
    charset: string | undefined,
    mapping: ResolvedMapping,
    isFileRow: boolean,
  ): ParseResult<ParsedRecord> {
    const maxBytes = this.settings.maxRecordBytes;
    if (contentType === 'application/json') return parseJsonRecord(bytes, { maxBytes }, charset);
    if (contentType === 'application/xml') {
      // A file row's root is the file's record element, not an event document's: only events are checked.
      return parseXmlRecord(bytes, {
        declaredEncoding: charset,
        maxBytes,
        recordElement: isFileRow ? undefined : mapping.root,
      });
    }
    // text/csv: one data row under its header line, which must name columns the mapping reads (with no
    // expected columns any line would do, whatever the delimiter, and broken quoting would go unnoticed).
    const file = parseCsvFile(bytes, {
      expectedColumns: mapping.columns ?? [],
      declaredEncoding: charset,
      maxBytes,
    });
    if (!file.ok) return file;
    const rows = file.value.rows;
    const bad = rows.find((r) => !isRecordRow(r));
    if (bad && !isRecordRow(bad)) return { ok: false, error: bad.error };
    if (rows.length !== 1) {
      return {
        ok: false,
        error: {
          code: 'SOURCE.SCHEMA_INVALID',
          reason: `A text/csv record must hold a header line and exactly one data row; this one has ${rows.length} data rows. Upload whole files to the files API.`,
        },
      };
    }
    const row = rows[0];
    if (!isRecordRow(row)) return { ok: false, error: row.error };
    // The CSV parser leaves control characters to its caller (JSON and XML flag them while parsing).
    const flags: ValueFlags = { controlCharacters: [], impreciseNumbers: [] };
    collectValueFlags(row.record, '', flags);
    return {
      ok: true,
      value: {
        record: row.record,
        encoding: file.value.encoding,
        fieldsWithControlCharacters: flags.controlCharacters,
        fieldsWithImpreciseNumbers: [],
      },
    };
  }
}

/** What every audit event of one batch shares. */
interface EventBase {
  occurredAt: string;
  actor: string;
  council: string;
  domain: string;
}

/**
 * One audit event of the batch. Written out, not `{ ...base, eventId, ... }`: on Node 20 an object spread
 * followed by more properties costs 2-16 µs (measured), and this runs twice or more per record.
 */
function auditEvent(
  base: EventBase,
  eventId: string,
  stage: AuditEvent['stage'],
  fields: Omit<AuditEvent, keyof EventBase | 'eventId' | 'stage'>,
): AuditEvent {
  return Object.assign(
    {
      occurredAt: base.occurredAt,
      actor: base.actor,
      council: base.council,
      domain: base.domain,
      eventId,
      stage,
    },
    fields,
  );
}

/** The newest of the revisions known for one canonical record. */
function newestOf(...known: Array<NewestRevision | undefined>): NewestRevision | undefined {
  let newest: NewestRevision | undefined;
  for (const k of known) if (k && (!newest || k.eventTimeMs > newest.eventTimeMs)) newest = k;
  return newest;
}

function partitionKey(batch: InboundBatch): string {
  return `${batch.topic}\u001f${batch.partition}`;
}

function firstOffsetOf(batch: InboundBatch): bigint {
  return BigInt(batch.messages[0]?.offset ?? '0');
}

function lastOffsetOf(batch: InboundBatch): string {
  return batch.messages[batch.messages.length - 1]?.offset ?? '-1';
}

/** A record the console replayed from a DLQ (it carries the dead letter's coordinates). */
function isReplay(message: ConsumedMessage): boolean {
  return Boolean(message.headers[HubHeaders.replayOf]);
}
