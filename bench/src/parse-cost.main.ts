import 'reflect-metadata';
import type { IHeaders } from 'kafkajs';
import type { CompiledMapping, MapContext } from '@hub/mapping';
import { ConsumedMessage, HubMetrics, InboundBatch, TopicNames } from '@hub/platform';
import {
  collectValueFlags,
  isRecordRow,
  parseCsvFile,
  parseJsonRecord,
  parseXmlRecord,
  type ParsedRecord,
  type ParseResult,
  type ValueFlags,
} from '@hub/source-formats';
import { sourceShapesOf, type SourceShape } from '../../apps/ingest/src/feed-catalogue.adapter';
import { RouteBatchUseCase } from '../../apps/router/src/route-batch.use-case';
import { generatorFor } from './generators/generator.registry';
import type { GeneratedSource } from './generators/generator.types';
import { seededRandom } from './generators/seeded-random.util';
import { round } from './measure/throughput-series.builder';
import { measureRate } from './scenarios/mapping-throughput.scenario';
import { BenchRecordFactory, sourceBytes } from './workload/bench-record.factory';
import { loadHubCatalogue } from './workload/hub-catalogue.loader';
import { planRecordMix } from './workload/record-mix.planner';

/**
 * Per-record CPU of the ingest's source parsing and of the router, in-process (no Kafka, no Postgres, no
 * build): records per CPU-second of this thread for each wire format the ingest parses one record at a time,
 * parse alone and parse + map, plus the router use case on the canonical records those mappings produce.
 *
 *   node -r ./scripts/register-ts.cjs bench/src/parse-cost.main.ts [--ms 1500] [--rounds 5] [--records 1000]
 *
 * Formats, each over every mapping of that format in the registry (records from bench/src/generators,
 * interleaved): `json` (an event, parseJsonRecord), `xml` (an event, parseXmlRecord with the mapping's root
 * as the record element), `csv` (a text/csv event: header line + one row, parseCsvFile with the mapping's
 * columns, as the ingest does) and `csv-row` (a row the console split from a CSV upload, sent as JSON). The
 * median of `--rounds` runs is printed, so one noisy neighbour on a shared machine does not decide it.
 */

interface Sample {
  mapping: CompiledMapping;
  bytes: Buffer;
  /** As for a file row (finance CSV record ids include `$row`). */
  context: MapContext;
  parse: (bytes: Buffer) => ParseResult<ParsedRecord>;
}

type Format = 'json' | 'xml' | 'csv' | 'csv-row';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(process.argv[at + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

const MEASURE_MS = flag('ms', 1500);
const ROUNDS = flag('rounds', 5);
const RECORDS = flag('records', 1000);
const SEED = 20_261_123;
const MAX_RECORD_BYTES = 1_048_576;

/** A CSV field as a spreadsheet export writes it: quoted when it holds a delimiter, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The ingest's text/csv path (transform-batch.use-case.ts `parse`): one header line and one data row. */
function parseCsvMessage(bytes: Buffer, shape: SourceShape | undefined): ParseResult<ParsedRecord> {
  const file = parseCsvFile(bytes, { expectedColumns: shape?.columns ?? [], maxBytes: MAX_RECORD_BYTES });
  if (!file.ok) return file;
  const row = file.value.rows[0];
  if (file.value.rows.length !== 1 || row === undefined || !isRecordRow(row))
    throw new Error('bench: a text/csv message did not parse to one record row');
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

function samplesOf(
  mapping: CompiledMapping,
  generated: GeneratedSource,
  shape: SourceShape | undefined,
  context: MapContext,
): Array<[Format, Sample]> {
  switch (generated.kind) {
    case 'json':
      return [
        [
          'json',
          {
            mapping,
            context,
            bytes: sourceBytes(generated),
            parse: (b) => parseJsonRecord(b, { maxBytes: MAX_RECORD_BYTES }),
          },
        ],
      ];
    case 'xml': {
      const options = { maxBytes: MAX_RECORD_BYTES, recordElement: shape?.root };
      return [
        [
          'xml',
          { mapping, context, bytes: sourceBytes(generated), parse: (b) => parseXmlRecord(b, options) },
        ],
      ];
    }
    case 'csv': {
      const names = Object.keys(generated.row);
      const text = `${names.map(csvField).join(',')}\r\n${names.map((n) => csvField(generated.row[n] ?? '')).join(',')}\r\n`;
      return [
        [
          'csv',
          { mapping, context, bytes: Buffer.from(text, 'utf8'), parse: (b) => parseCsvMessage(b, shape) },
        ],
        [
          'csv-row',
          {
            mapping,
            context,
            bytes: sourceBytes(generated),
            parse: (b) => parseJsonRecord(b, { maxBytes: MAX_RECORD_BYTES }),
          },
        ],
      ];
    }
  }
}

/** Calls of a synchronous step per CPU-second of this thread, after a warm-up. */
function measureSync(ms: number, step: (i: number) => unknown): number {
  const run = (deadline: number) => {
    let i = 0;
    do for (let k = 0; k < 64; k++) step(i++);
    while (Date.now() < deadline);
    return i;
  };
  run(Date.now() + Math.min(500, ms));
  const cpu = process.cpuUsage();
  const calls = run(Date.now() + ms);
  const used = process.cpuUsage(cpu);
  return calls / Math.max((used.user + used.system) / 1e6, 1e-6);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function main(): Promise<void> {
  const catalogue = loadHubCatalogue();
  if (catalogue.problem) throw new Error(catalogue.problem);
  const shapes = sourceShapesOf(catalogue.files);

  const byFormat = new Map<Format, Sample[][]>();
  for (const mapping of catalogue.registry.mappings) {
    const generator = generatorFor(mapping.id, catalogue.files, true);
    if (!generator) continue;
    const rnd = seededRandom(SEED);
    const perFormat = new Map<Format, Sample[]>();
    for (let n = 0; n < RECORDS; n++) {
      const context = { eventId: `cost-${n}`, row: n + 1, fileId: 'cost-file' };
      for (const [format, sample] of samplesOf(
        mapping,
        generator.make(n, rnd),
        shapes.get(mapping.id),
        context,
      )) {
        const parsed = sample.parse(sample.bytes);
        // Only records that map are measured: the hot path is records that go through.
        if (!parsed.ok || !(await mapping.map(parsed.value.record, context)).ok) continue;
        const list = perFormat.get(format) ?? [];
        perFormat.set(format, list);
        list.push(sample);
      }
    }
    for (const [format, list] of perFormat) byFormat.set(format, [...(byFormat.get(format) ?? []), list]);
  }

  // The router's input: canonical records of the bench's record mix, as the ingest would produce them.
  const topics = new TopicNames('cost.');
  const mix = planRecordMix(catalogue, { mix: {}, fileRows: true, nonMembers: false, synthetic: true });
  const set = await new BenchRecordFactory(catalogue, mix, SEED).make(RECORDS * 4, {
    prefix: 'cost',
    topics,
    canonical: true,
  });
  const byTopic = new Map<string, ConsumedMessage[]>();
  set.records.forEach((r, i) => {
    if (!r.canonical) return;
    const list = byTopic.get(r.canonical.topic) ?? [];
    byTopic.set(r.canonical.topic, list);
    list.push({
      topic: r.canonical.topic,
      partition: 0,
      offset: String(i),
      key: Buffer.from(r.canonical.key),
      value: r.canonical.value,
      headers: {},
      rawHeaders: {} as IHeaders,
      timestamp: String(Date.now()),
    });
  });
  const routerBatches: InboundBatch[] = [];
  for (const [topic, messages] of byTopic)
    for (let i = 0; i < messages.length; i += 500)
      routerBatches.push({ topic, partition: 0, messages: messages.slice(i, i + 500) });
  const router = new RouteBatchUseCase(catalogue.routing, topics, new HubMetrics('parse-cost'));

  const rows: Array<{ name: string; detail: string; parse: number[]; parseAndMap: number[] }> = [];
  const formats = (['json', 'xml', 'csv', 'csv-row'] as const).filter((f) => byFormat.has(f));
  for (const format of formats) {
    const lists = byFormat.get(format)!;
    const mappings = lists.length;
    const bytes = lists.flat().reduce((sum, s) => sum + s.bytes.length, 0) / lists.flat().length;
    rows.push({
      name: format,
      detail: `${mappings} mappings, mean ${Math.round(bytes)} B`,
      parse: [],
      parseAndMap: [],
    });
  }
  const routerRow = {
    name: 'router',
    detail: `${set.records.length} canonical records`,
    rates: [] as number[],
  };

  for (let r = 0; r < ROUNDS; r++) {
    for (const [index, format] of formats.entries()) {
      const lists = byFormat.get(format)!;
      const pick = (i: number) => {
        const list = lists[i % lists.length]!;
        return list[Math.floor(i / lists.length) % list.length]!;
      };
      rows[index]!.parse.push(
        measureSync(MEASURE_MS, (i) => {
          const s = pick(i);
          return s.parse(s.bytes);
        }),
      );
      rows[index]!.parseAndMap.push(
        (
          await measureRate(MEASURE_MS, async (i) => {
            const s = pick(i);
            const parsed = s.parse(s.bytes);
            if (parsed.ok) await s.mapping.map(parsed.value.record, s.context);
          })
        ).perCore,
      );
    }
    const routed = measureSync(MEASURE_MS, (i) => router.execute(routerBatches[i % routerBatches.length]!));
    // measureSync counts batches; convert to records with the mean batch size of the timed calls.
    const meanBatch = routerBatches.reduce((sum, b) => sum + b.messages.length, 0) / routerBatches.length;
    routerRow.rates.push(routed * meanBatch);
    console.error(`round ${r + 1}/${ROUNDS} done`);
  }

  const out: string[] = [];
  out.push(
    `records per CPU-second (median of ${ROUNDS} rounds of ${MEASURE_MS} ms; µs per record in brackets)`,
  );
  out.push('format   | parse              | parse + map        | records');
  out.push('---------|--------------------|--------------------|--------');
  const cell = (rate: number) =>
    `${String(round(rate, 0)).padStart(7)} (${round(1e6 / rate, 1)
      .toFixed(1)
      .padStart(6)} µs)`;
  for (const row of rows)
    out.push(
      `${row.name.padEnd(8)} | ${cell(median(row.parse))} | ${cell(median(row.parseAndMap))} | ${row.detail}`,
    );
  out.push(`router   | ${cell(median(routerRow.rates))} |                    | ${routerRow.detail}`);
  console.log(out.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
