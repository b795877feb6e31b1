import { canonicalRecordId, canonicalRevisionId } from '@hub/canonical';
import { CeHeaders, HubHeaders, TopicNames, cloudEventHeaders } from '@hub/platform';
import { ParsedRecord, ParseResult, parseJsonRecord, parseXmlRecord } from '@hub/source-formats';
import type { GeneratedSource } from '../generators/generator.types';
import { seededRandom } from '../generators/seeded-random.util';
import type { HubCatalogue } from './hub-catalogue.loader';
import type { RecordMix, RecordSource } from './record-mix.planner';

/** One record as a council system publishes it, with what the hub should make of it. */
export interface BenchRecord {
  readonly source: RecordSource;
  readonly ceId: string;
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  /** CloudEvents headers; `ce_time` is re-stamped at send time by paced producers. */
  readonly headers: Record<string, string>;
  /** `ssc.<service>` topics the router should deliver it to (empty: rejected, refused or unrouted). */
  readonly sscTopics: readonly string[];
  /** HTTP destinations (ids) the router should hand it to on `hub.delivery.<destination>`. */
  readonly httpDestinations: readonly string[];
  readonly mapped: boolean;
  /** The canonical record the ingest would produce (for the pass-through baseline's message sizes). */
  readonly canonical?: { readonly topic: string; readonly key: string; readonly value: Buffer };
}

/** A batch of records for one scenario, with the totals the scenario waits for. */
export interface BenchRecordSet {
  readonly records: BenchRecord[];
  /** Sum of sscTopics lengths: messages expected on SSC topics and `delivered` audit rows. */
  readonly expectedDeliveries: number;
  /** Sum of httpDestinations lengths: records expected on the `hub.delivery.*` topics. */
  readonly expectedHttpDeliveries: number;
  /** Records the in-process mapping refused (they would go to a DLQ). */
  readonly expectedRejected: number;
  readonly bySource: Record<string, number>;
  readonly meanValueBytes: number;
  readonly meanCanonicalBytes: number;
}

const ROWS_PER_FILE = 500;

/** Parses bytes as the ingest does for the content type. */
export function parseSource(bytes: Buffer, contentType: string): ParseResult<ParsedRecord> {
  return contentType === 'application/xml' ? parseXmlRecord(bytes) : parseJsonRecord(bytes);
}

/** The bytes a council (or the console, for a file row) sends for a generated record. */
export function sourceBytes(generated: GeneratedSource): Buffer {
  switch (generated.kind) {
    case 'json':
      return Buffer.from(JSON.stringify(generated.object), 'utf8');
    case 'xml':
      return Buffer.from(generated.xml, 'utf8');
    case 'csv':
      return Buffer.from(JSON.stringify(generated.row), 'utf8');
  }
}

/**
 * Makes the records of a run from the mix, and predicts each one's fate by running the real mapping and
 * routing table in-process (the same code the ingest and router run), so the scenarios know exactly how
 * many SSC messages and `delivered` audit rows to wait for, whatever domains and routes exist.
 */
export class BenchRecordFactory {
  private readonly sequences = new Map<string, number>();

  constructor(
    private readonly catalogue: HubCatalogue,
    private readonly mix: RecordMix,
    private readonly seed: number,
  ) {}

  /**
   * `count` records whose ce_ids start with `prefix-`, on the topics of `topics`' namespace. With `distinct`
   * below `count`, only that many source records are generated (and mapped in-process to predict their
   * routing); the rest re-send them as updates: same payload, new ce_id (a newer revision of the record).
   */
  async make(
    count: number,
    options: { prefix: string; topics: TopicNames; canonical: boolean; distinct?: number },
  ): Promise<BenchRecordSet> {
    const rnd = seededRandom(this.seed ^ hashString(options.prefix));
    const cumulative: number[] = [];
    let sum = 0;
    for (const s of this.mix.sources) cumulative.push((sum += s.weight));
    const records: BenchRecord[] = [];
    const bySource: Record<string, number> = {};
    let deliveries = 0;
    let httpDeliveries = 0;
    let rejected = 0;
    let valueBytes = 0;
    let canonicalBytes = 0;
    const today = new Date().toISOString().slice(0, 10);
    const distinct = Math.max(1, Math.min(count, options.distinct ?? count));
    for (let i = 0; i < count; i++) {
      let record: BenchRecord;
      if (i < distinct) {
        const r = rnd();
        const source =
          this.mix.sources[
            Math.max(
              0,
              cumulative.findIndex((c) => r < c),
            )
          ] ?? this.mix.sources[0]!;
        record = await this.one(source, i, rnd, options, today);
      } else {
        const template = records[i % distinct]!;
        const ceId = `${options.prefix}-${i}`;
        record = {
          ...template,
          ceId,
          headers: { ...template.headers, [CeHeaders.id]: ceId },
          canonical: undefined,
        };
      }
      const source = record.source;
      records.push(record);
      bySource[source.id] = (bySource[source.id] ?? 0) + 1;
      deliveries += record.sscTopics.length;
      httpDeliveries += record.httpDestinations.length;
      if (!record.mapped) rejected++;
      valueBytes += record.value.length;
      canonicalBytes += record.canonical?.value.length ?? 0;
    }
    return {
      records,
      expectedDeliveries: deliveries,
      expectedHttpDeliveries: httpDeliveries,
      expectedRejected: rejected,
      bySource,
      meanValueBytes: Math.round(valueBytes / Math.max(1, count)),
      meanCanonicalBytes: Math.round(canonicalBytes / Math.max(1, count)),
    };
  }

  private async one(
    source: RecordSource,
    index: number,
    rnd: () => number,
    options: { prefix: string; topics: TopicNames; canonical: boolean },
    today: string,
  ): Promise<BenchRecord> {
    const seq = this.sequences.get(source.id) ?? 0;
    this.sequences.set(source.id, seq + 1);
    const generated = source.generator.make(seq, rnd);
    const value = sourceBytes(generated);
    const ceId = `${options.prefix}-${index}`;
    const time = new Date().toISOString();
    const headers: Record<string, string> = cloudEventHeaders({
      id: ceId,
      source: source.ceSource,
      type: source.ceType,
      time,
      contentType: source.contentType,
    });
    let context: { eventId: string; fileId?: string; row?: number } = { eventId: ceId };
    let file: { id: string; name: string; row: number } | undefined;
    if (source.kind === 'file-row') {
      const fileNo = Math.floor(seq / ROWS_PER_FILE);
      file = {
        id: `${options.prefix}-${source.council}-${source.domain}-f${fileNo}`,
        name: `${source.council}-${source.domain}-export-${fileNo}.csv`,
        row: (seq % ROWS_PER_FILE) + 1,
      };
      headers[HubHeaders.fileId] = file.id;
      headers[HubHeaders.fileName] = file.name;
      headers[HubHeaders.fileRow] = String(file.row);
      context = { eventId: ceId, fileId: file.id, row: file.row };
    }
    const topic = options.topics.council(source.council, source.domain);
    const parsed = parseSource(value, source.contentType);
    const mapped = parsed.ok ? await source.mapping.map(parsed.value.record, context) : undefined;
    if (!mapped || !mapped.ok) {
      return {
        source,
        ceId,
        topic,
        key: generated.key,
        value,
        headers,
        sscTopics: [],
        httpDestinations: [],
        mapped: false,
      };
    }
    const entity = source.mapping.entity;
    const canonicalRecord = {
      schema: entity.schemaId,
      id: canonicalRecordId(source.council, entity.name, mapped.recordId),
      revision: canonicalRevisionId(source.council, ceId),
      operation: mapped.operation,
      council: { slug: source.council, gss: source.gss },
      source: {
        system: source.system,
        recordId: mapped.recordId,
        eventId: ceId,
        eventType: source.ceType,
        eventTime: time,
        topic,
        partition: 0,
        offset: String(index),
        ...(file ? { file } : {}),
      },
      mapping: { id: source.mapping.id, version: source.mapping.version },
      transformedAt: time,
      data: mapped.data,
    };
    const decisions = this.catalogue.routing.decide(canonicalRecord, entity.name, entity.domain, today);
    const sscTopics = decisions.flatMap((d) =>
      d.outcome === 'routed' && d.destination.kind === 'kafka'
        ? [options.topics.ssc(d.destination.service)]
        : [],
    );
    const httpDestinations = decisions.flatMap((d) =>
      d.outcome === 'routed' && d.destination.kind === 'http' ? [d.destination.id] : [],
    );
    return {
      source,
      ceId,
      topic,
      key: generated.key,
      value,
      headers,
      sscTopics,
      httpDestinations,
      mapped: true,
      canonical: options.canonical
        ? {
            topic: options.topics.canonical(source.domain, entity.entity),
            key: canonicalRecord.id,
            value: Buffer.from(JSON.stringify(canonicalRecord), 'utf8'),
          }
        : undefined,
    };
  }
}

/** Re-stamps `ce_time` to now (for latency: source time = send time). */
export function stampNow(headers: Record<string, string>): Record<string, string> {
  return { ...headers, [CeHeaders.time]: new Date().toISOString() };
}

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
