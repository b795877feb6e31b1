import type { Pool } from 'pg';
import type { Producer } from 'kafkajs';
import { AuditEvent, AuditStages, auditEventId, encodeAuditBatch } from '@hub/audit';
import { uuidV5 } from '@hub/canonical';
import { CompiledMapping, MappingRegistry } from '@hub/mapping';
import { Partnership } from '@hub/partnership';
import {
  CeHeaders,
  DlqHeaders,
  Domain,
  ErrorCodes,
  HubError,
  HubHeaders,
  OutboundMessage,
  TopicNames,
  cloudEventHeaders,
  isDomain,
} from '@hub/platform';
import { isRecordRow, parseCsvFile, parseXmlFile, sha256 } from '@hub/source-formats';
import { readMappingSpec, sourceColumnGroups } from './source-columns';

/** ce_type of a row split from a file export; the ingest maps it with the feed's file mapping. */
export const fileRowType = (format: 'csv' | 'xml') => `hub.file.row.${format}`;

/** Rejections listed in the answer (all are counted; all go to the DLQ and the audit log). */
const MAX_LISTED_REJECTIONS = 200;

export interface FileUploadRequest {
  council: string;
  domain: string;
  fileName: string;
  contentType?: string;
  /** Declared charset, e.g. windows-1252; otherwise BOM, then detection. */
  encoding?: string;
  bytes: Buffer;
  uploadedBy: string;
}

export interface RowRejection {
  row: number;
  line?: number;
  code: string;
  field?: string;
  reason: string;
}

/** What the files API answers. */
export interface FileUploadReport {
  fileId: string;
  fileName: string;
  sha256: string;
  format: 'csv' | 'xml';
  encoding: string;
  mapping: { id: string; version: number };
  duplicate: boolean;
  rows: { total: number; accepted: number; rejected: number };
  skippedPreambleRows: number;
  ignoredColumns: string[];
  rejections: RowRejection[];
  receivedAt: string;
}

/**
 * Takes a council's file export: stores its hash, decodes it, finds the header under any preamble,
 * splits it into one record per row (lineage: file id and row number), checks each row against the
 * feed's mapping so the answer can say which rows will be rejected and why, and publishes every row
 * in one Kafka transaction: parsed rows to the council topic (the ingest maps them like any event),
 * unparseable rows straight to the feed's DLQ. The same file uploaded again is recognised by its hash
 * and not split again.
 */
export class FileUploadService {
  private readonly columnGroups = new Map<string, string[][]>();

  constructor(
    private readonly partnership: Partnership,
    private readonly registry: MappingRegistry,
    private readonly pool: Pool,
    private readonly producer: Producer,
    private readonly topics: TopicNames,
  ) {}

  async upload(req: FileUploadRequest): Promise<FileUploadReport> {
    const feed = this.partnership.feed(req.council, req.domain);
    if (!feed || !isDomain(req.domain)) {
      throw new HubError(
        ErrorCodes.NOT_FOUND,
        `Council ${req.council} has no ${req.domain} feed in the partnership configuration.`,
      );
    }
    const domain: Domain = req.domain;
    const format = detectFormat(req.contentType, req.fileName);
    if (!format) {
      throw new HubError(
        ErrorCodes.REQUEST_INVALID,
        'Send a CSV (text/csv, .csv) or XML (application/xml, .xml) file in the form field "file".',
      );
    }
    const mapping = this.registry.forFile(req.council, domain, format);
    if (!mapping) {
      const takes = Object.keys(feed.files).join(', ') || 'no files (it takes events)';
      throw new HubError(
        ErrorCodes.REQUEST_INVALID,
        `The ${req.council} ${domain} feed takes ${takes}, not ${format} files.`,
      );
    }
    const digest = sha256(req.bytes);
    const fileId = uuidV5(`file\u001f${req.council}\u001f${domain}\u001f${digest}`);
    const earlier = await this.pool.query<{ report: FileUploadReport }>(
      `SELECT report FROM file_upload WHERE id = $1`,
      [fileId],
    );
    if (earlier.rows[0]) return { ...earlier.rows[0].report, duplicate: true };

    const parsed = this.parse(req.bytes, format, mapping, req.encoding);
    if (!parsed.ok) {
      throw new HubError(parsed.error.code as never, `The file could not be read: ${parsed.error.reason}`);
    }
    const file = parsed.value;
    const now = new Date();
    const system = feed.systems[0];
    const outputs: OutboundMessage[] = [];
    const audit: AuditEvent[] = [];
    const rejections: RowRejection[] = [];
    let rejected = 0;
    const base = {
      council: req.council,
      domain,
      fileId,
      actor: `person:${req.uploadedBy}`,
      occurredAt: now.toISOString(),
    };

    for (const row of file.rows) {
      const ceId = `${fileId}:${row.rowNumber}`;
      if (!isRecordRow(row)) {
        rejected += 1;
        if (rejections.length < MAX_LISTED_REJECTIONS)
          rejections.push({
            row: row.rowNumber,
            line: row.line,
            code: row.error.code,
            reason: row.error.reason,
          });
        outputs.push(
          this.deadRow(
            domain,
            req,
            fileId,
            row.rowNumber,
            row.line,
            row.error.code,
            row.error.reason,
            ceId,
            system.ceSource,
            format,
            now,
          ),
        );
        audit.push({
          ...base,
          eventId: auditEventId(AuditStages.REJECTED, ceId),
          stage: AuditStages.REJECTED,
          sourceEventId: ceId,
          code: row.error.code,
          detail: {
            reason: row.error.reason,
            stage: 'file',
            fileRow: row.rowNumber,
            dlqTopic: this.topics.dlq(req.council, domain),
          },
        });
        continue;
      }
      const check = await mapping.map(row.record, {
        row: row.rowNumber,
        fileId,
        fileName: req.fileName,
        eventId: ceId,
      });
      if (!check.ok) {
        rejected += 1;
        const first = check.errors[0];
        if (rejections.length < MAX_LISTED_REJECTIONS)
          rejections.push({
            row: row.rowNumber,
            line: row.line,
            code: first.code,
            field: first.field,
            reason: first.message,
          });
      }
      outputs.push({
        topic: this.topics.council(req.council, domain),
        key: `${fileId}:${row.rowNumber}`,
        value: JSON.stringify(row.record),
        headers: {
          ...cloudEventHeaders({
            id: ceId,
            source: system.ceSource,
            type: fileRowType(format),
            time: now.toISOString(),
            contentType: 'application/json',
          }),
          [HubHeaders.fileId]: fileId,
          [HubHeaders.fileName]: req.fileName,
          [HubHeaders.fileRow]: String(row.rowNumber),
        },
      });
    }
    const report: FileUploadReport = {
      fileId,
      fileName: req.fileName,
      sha256: digest,
      format,
      encoding: file.encoding,
      mapping: { id: mapping.id, version: mapping.version },
      duplicate: false,
      rows: { total: file.rows.length, accepted: file.rows.length - rejected, rejected },
      skippedPreambleRows: file.skippedPreambleRows,
      ignoredColumns: file.ignoredColumns,
      rejections,
      receivedAt: now.toISOString(),
    };
    audit.unshift(
      {
        ...base,
        eventId: auditEventId(AuditStages.FILE_RECEIVED, fileId),
        stage: AuditStages.FILE_RECEIVED,
        detail: {
          fileName: req.fileName,
          sha256: digest,
          sizeBytes: req.bytes.length,
          format,
          encoding: file.encoding,
          mappingId: mapping.id,
          mappingVersion: mapping.version,
        },
      },
      {
        ...base,
        eventId: auditEventId(AuditStages.FILE_SPLIT, fileId),
        stage: AuditStages.FILE_SPLIT,
        detail: {
          rows: report.rows.total,
          published: report.rows.total - file.rows.filter((r) => !isRecordRow(r)).length,
          expectedRejections: rejected,
          skippedPreambleRows: file.skippedPreambleRows,
        },
      },
    );
    outputs.push({ topic: this.topics.audit, key: `file:${fileId}`, value: encodeAuditBatch(audit) });

    // Record the file first: if publishing fails, the row is removed so the council can upload again.
    await this.pool.query(
      `INSERT INTO file_upload (id, council, domain, sha256, file_name, format, encoding, size_bytes, mapping_id, mapping_version,
                                rows_total, rows_accepted, rows_rejected, report, uploaded_by, received_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
      [
        fileId,
        req.council,
        domain,
        digest,
        req.fileName,
        format,
        file.encoding,
        req.bytes.length,
        mapping.id,
        mapping.version,
        report.rows.total,
        report.rows.accepted,
        report.rows.rejected,
        JSON.stringify(report),
        req.uploadedBy,
        now,
      ],
    );
    try {
      await this.publish(outputs);
    } catch (error) {
      await this.pool.query(`DELETE FROM file_upload WHERE id = $1`, [fileId]).catch(() => undefined);
      throw new HubError(
        ErrorCodes.INFRA_KAFKA,
        'The file was read but could not be published; nothing was kept. Upload it again shortly.',
        {},
        { cause: error },
      );
    }
    return report;
  }

  private parse(bytes: Buffer, format: 'csv' | 'xml', mapping: CompiledMapping, encoding?: string) {
    if (format === 'csv')
      return parseCsvFile(bytes, { expectedColumns: this.columnsOf(mapping), declaredEncoding: encoding });
    const spec = readMappingSpec(mapping.file);
    const recordPath = spec.recordPath;
    if (!recordPath) {
      return {
        ok: false as const,
        error: {
          code: 'SOURCE.SCHEMA_INVALID' as const,
          reason: `Mapping ${mapping.id} does not declare the recordPath of its XML export.`,
        },
      };
    }
    return parseXmlFile(bytes, { recordPath, declaredEncoding: encoding });
  }

  private columnsOf(mapping: CompiledMapping): string[][] {
    let groups = this.columnGroups.get(mapping.id);
    if (!groups) {
      groups = sourceColumnGroups(readMappingSpec(mapping.file));
      this.columnGroups.set(mapping.id, groups);
    }
    return groups;
  }

  private deadRow(
    domain: Domain,
    req: FileUploadRequest,
    fileId: string,
    row: number,
    line: number | undefined,
    code: string,
    reason: string,
    ceId: string,
    ceSource: string,
    format: 'csv' | 'xml',
    now: Date,
  ): OutboundMessage {
    return {
      topic: this.topics.dlq(req.council, domain),
      key: ceId,
      // The original of a row that could not be parsed is the file itself (kept by its hash): point to it.
      value: JSON.stringify({ fileId, fileName: req.fileName, row, line: line ?? null }),
      headers: {
        [CeHeaders.id]: ceId,
        [CeHeaders.source]: ceSource,
        [CeHeaders.type]: fileRowType(format),
        [HubHeaders.fileId]: fileId,
        [HubHeaders.fileName]: req.fileName,
        [HubHeaders.fileRow]: String(row),
        [DlqHeaders.code]: code,
        [DlqHeaders.reason]: reason,
        [DlqHeaders.stage]: 'file',
        [DlqHeaders.sourceTopic]: `file:${fileId}`,
        [DlqHeaders.sourcePartition]: '-1',
        [DlqHeaders.sourceOffset]: String(row),
        [DlqHeaders.failedAt]: now.toISOString(),
      },
    };
  }

  private async publish(outputs: OutboundMessage[]): Promise<void> {
    const byTopic = new Map<string, OutboundMessage[]>();
    for (const o of outputs) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    const transaction = await this.producer.transaction();
    try {
      await transaction.sendBatch({
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}

function detectFormat(contentType: string | undefined, fileName: string): 'csv' | 'xml' | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  if (/\.csv$/i.test(fileName)) return 'csv';
  if (/\.xml$/i.test(fileName)) return 'xml';
  return undefined;
}
