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
  TopicNames,
  deadLetter,
  readEnvelope,
  repeatedHeaders,
} from '@hub/platform';
import { ParsedRecord, parseCsvFile, parseJsonRecord, parseXmlRecord, isRecordRow, ParseResult } from '@hub/source-formats';
import { FeedCatalogue, ResolvedMapping } from './feed-catalogue.port';

const ACTOR = 'ingest';

/**
 * ce_type of rows the console splits from an uploaded file export (`hub.file.row.csv`, `.xml`): they are
 * mapped with the feed's file mapping for that format. The row itself travels as a JSON object.
 */
export const FILE_ROW_TYPE_PREFIX = 'hub.file.row.';

export interface TransformSettings {
  maxRecordBytes: number;
}

type Accepted = { ok: true; canonical: CanonicalRecord; mapping: ResolvedMapping; warnings: string[] };
type Rejected = { ok: false; failure: Failure };

/**
 * The ingest use case: one batch of a council topic in, canonical records, DLQ records and audit
 * events out (committed together by the transport). Every consumed record ends in exactly one of
 * canonical or DLQ; nothing is dropped.
 */
export class TransformBatchUseCase {
  constructor(
    private readonly catalogue: FeedCatalogue,
    private readonly topics: TopicNames,
    private readonly metrics: HubMetrics,
    private readonly settings: TransformSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(batch: InboundBatch): Promise<OutboundMessage[]> {
    const feed = this.topics.parseCouncil(batch.topic);
    if (!feed) throw new Error(`ingest consumed ${batch.topic}, which is not a council topic`);
    const now = this.clock();
    const nowIso = now.toISOString();
    const out: OutboundMessage[] = [];
    const audit: AuditEvent[] = [];
    const labels = { council: feed.council, domain: feed.domain };

    for (const message of batch.messages) {
      const size = message.value?.length ?? 0;
      this.metrics.recordsReceived.inc(labels);
      this.metrics.bytesReceived.inc(labels, size);
      const ceId = message.headers[CeHeaders.id];
      const sourceEventId = ceId && ceId.length <= 200 ? ceId : undefined;
      const fileId = message.headers[HubHeaders.fileId];
      const coordinates = `${message.topic}/${message.partition}/${message.offset}`;
      audit.push({
        eventId: auditEventId(AuditStages.RECEIVED, coordinates),
        stage: AuditStages.RECEIVED,
        occurredAt: nowIso,
        actor: ACTOR,
        council: feed.council,
        domain: feed.domain,
        sourceEventId,
        fileId,
        detail: {
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          system: message.headers[CeHeaders.source] ?? null,
          ceType: message.headers[CeHeaders.type] ?? null,
          contentType: message.headers[CeHeaders.contentType] ?? null,
          payloadSha256: payloadSha256(message.value),
          sizeBytes: size,
          fileRow: message.headers[HubHeaders.fileRow] ? Number(message.headers[HubHeaders.fileRow]) : null,
          replayOf: message.headers[HubHeaders.replayOf] ?? null,
        },
      });

      const result = await this.transform(message, feed.council, feed.domain, nowIso);
      if (result.ok) {
        const { canonical, mapping } = result;
        out.push({
          topic: this.topics.canonical(mapping.domain, mapping.entity),
          key: canonical.id,
          value: JSON.stringify(canonical),
        });
        this.metrics.recordsTransformed.inc({ ...labels, entity: mapping.entity });
        audit.push({
          eventId: auditEventId(AuditStages.TRANSFORMED, coordinates),
          stage: AuditStages.TRANSFORMED,
          occurredAt: nowIso,
          actor: ACTOR,
          council: feed.council,
          domain: feed.domain,
          entity: `${mapping.domain}.${mapping.entity}`,
          sourceEventId,
          canonicalId: canonical.id,
          revision: canonical.revision,
          fileId,
          detail: {
            mappingId: mapping.id,
            mappingVersion: mapping.version,
            schema: mapping.schemaId,
            operation: canonical.operation,
            canonicalTopic: this.topics.canonical(mapping.domain, mapping.entity),
            warnings: result.warnings.length ? result.warnings.join(',') : null,
          },
        });
      } else {
        const { failure } = result;
        out.push(deadLetter(this.topics.dlq(feed.council, feed.domain), message, failure, now));
        this.metrics.recordsRejected.inc({ ...labels, code: failure.code });
        audit.push({
          eventId: auditEventId(AuditStages.REJECTED, coordinates),
          stage: AuditStages.REJECTED,
          occurredAt: nowIso,
          actor: ACTOR,
          council: feed.council,
          domain: feed.domain,
          sourceEventId,
          fileId,
          code: failure.code,
          detail: {
            reason: failure.reason,
            stage: failure.stage,
            dlqTopic: this.topics.dlq(feed.council, feed.domain),
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
          },
        });
      }
    }
    out.push({ topic: this.topics.audit, key: `${batch.topic}:${batch.partition}`, value: encodeAuditBatch(audit) });
    return out;
  }

  private async transform(message: ConsumedMessage, council: string, domain: Domain, nowIso: string): Promise<Accepted | Rejected> {
    const reject = (code: Failure['code'], reason: string, stage: Failure['stage']): Rejected => ({
      ok: false,
      failure: { code, reason, stage },
    });
    if (message.value === null) {
      return reject(ErrorCodes.SOURCE_TOMBSTONE, 'The record has no value (a tombstone); send deletes as a record whose mapping sets the operation to delete.', 'envelope');
    }
    if (message.value.length > this.settings.maxRecordBytes) {
      return reject(ErrorCodes.SIZE_TOO_LARGE, `The record is ${message.value.length} bytes; the limit is ${this.settings.maxRecordBytes} bytes.`, 'envelope');
    }
    const repeated = repeatedHeaders(message.rawHeaders);
    if (repeated.length > 0) {
      return reject(ErrorCodes.ENVELOPE_HEADER_INVALID, `Header ${repeated.join(', ')} appears more than once; send each CloudEvents attribute once.`, 'envelope');
    }
    const envelope = readEnvelope(message.headers);
    if (!envelope.ok) return { ok: false, failure: envelope.failure };
    const ce = envelope.value;
    const source = this.catalogue.checkSource(council, domain, ce.source);
    if (!source.ok) return reject(source.code, source.reason, 'envelope');
    const fileFormat = ce.type.startsWith(FILE_ROW_TYPE_PREFIX) ? ce.type.slice(FILE_ROW_TYPE_PREFIX.length) : undefined;
    const mapping =
      fileFormat === 'csv' || fileFormat === 'xml'
        ? this.catalogue.fileMappingFor(council, domain, fileFormat)
        : this.catalogue.mappingFor(council, domain, ce.type);
    if (!mapping) {
      const known = this.catalogue.knownTypes(council, domain);
      return reject(
        ErrorCodes.ENVELOPE_TYPE_UNKNOWN,
        `ce_type ${ce.type} is not a record type of the ${council} ${domain} feed; known types: ${known.join(', ') || 'none'}.`,
        'envelope',
      );
    }
    const parsed = this.parse(message.value, ce.contentType, ce.charset);
    if (!parsed.ok) return reject(parsed.error.code as Failure['code'], parsed.error.reason, 'parse');
    const record = parsed.value;
    if (record.fieldsWithControlCharacters.length > 0) {
      return reject(
        ErrorCodes.SOURCE_SCHEMA_INVALID,
        `Field ${record.fieldsWithControlCharacters.slice(0, 5).join(', ')} contains control characters (such as NUL); remove them at the source.`,
        'parse',
      );
    }
    const fileId = message.headers[HubHeaders.fileId];
    const fileRow = message.headers[HubHeaders.fileRow];
    const mapped = await mapping.map(record.record, { eventId: ce.id, fileId, row: fileRow ? Number(fileRow) : undefined });
    if (!mapped.ok) {
      const first = mapped.errors[0];
      const more = mapped.errors.length > 1 ? ` (and ${mapped.errors.length - 1} more: ${mapped.errors.slice(1, 6).map((e) => e.field).join(', ')})` : '';
      return reject(first.code, `${first.message}${more}`, 'mapping');
    }
    const gss = this.catalogue.councilGss(council)!;
    const entityName = `${mapping.domain}.${mapping.entity}`;
    const canonical: CanonicalRecord = {
      schema: mapping.schemaId,
      id: canonicalRecordId(council, entityName, mapped.recordId),
      revision: canonicalRevisionId(council, ce.id),
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
    return { ok: true, canonical, mapping, warnings: mapped.warnings.map((w) => w.field) };
  }

  private parse(bytes: Buffer, contentType: string, charset: string | undefined): ParseResult<ParsedRecord> {
    const maxBytes = this.settings.maxRecordBytes;
    if (contentType === 'application/json') return parseJsonRecord(bytes, { maxBytes }, charset);
    if (contentType === 'application/xml') {
      return parseXmlRecord(bytes, { declaredEncoding: charset, maxBytes });
    }
    // text/csv: one data row under its header line.
    // The first non-blank line is the header: a one-row message has no preamble to skip.
    const file = parseCsvFile(bytes, { expectedColumns: [], declaredEncoding: charset, maxBytes });
    if (!file.ok) return file;
    const rows = file.value.rows;
    const bad = rows.find((r) => !isRecordRow(r));
    if (bad && !isRecordRow(bad)) return { ok: false, error: bad.error };
    if (rows.length !== 1) {
      return {
        ok: false,
        error: { code: 'SOURCE.SCHEMA_INVALID', reason: `A text/csv record must hold a header line and exactly one data row; this one has ${rows.length} data rows. Upload whole files to the files API.` },
      };
    }
    const row = rows[0];
    return isRecordRow(row)
      ? { ok: true, value: { record: row.record, encoding: file.value.encoding, fieldsWithControlCharacters: [], fieldsWithImpreciseNumbers: [] } }
      : { ok: false, error: row.error };
  }
}
