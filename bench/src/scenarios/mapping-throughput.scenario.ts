import type { CompiledMapping, MapContext } from '@hub/mapping';
import { generatorFor } from '../generators/generator.registry';
import { seededRandom } from '../generators/seeded-random.util';
import { round } from '../measure/throughput-series.builder';
import type { MappingResult } from '../report/bench-results.model';
import { parseSource, sourceBytes } from '../workload/bench-record.factory';
import type { BenchContext } from './bench-context.types';

const SAMPLE_RECORDS = 1_000;
const WARM_UP_MS = 500;
const WARM_UP_CALLS = 3_000;

interface Prepared {
  mapping: CompiledMapping;
  generator: 'hand-written' | 'synthetic';
  contentType: 'application/json' | 'application/xml';
  bytes: Buffer[];
  records: Array<Record<string, unknown>>;
  contexts: MapContext[];
}

/** Calls per CPU-second of this process (load-independent: "per core") and per wall-clock second. */
export interface Rate {
  perCore: number;
  perWall: number;
}

/** Runs `step(i)` in a loop for `ms` (after a warm-up); returns its rate on this one thread. */
export async function measureRate(ms: number, step: (i: number) => Promise<unknown>): Promise<Rate> {
  const until =
    (deadline: number, minCalls = 0) =>
    async () => {
      let i = 0;
      // Check the clock every 64 calls: Date.now() is not free next to a microsecond-scale map().
      for (;;) {
        for (let k = 0; k < 64; k++) await step(i++);
        if (Date.now() >= deadline && i >= minCalls) return i;
      }
    };
  // map() is ms-slow for its first few hundred calls (JIT, validator metadata): warm up on calls, not only time.
  await until(Date.now() + WARM_UP_MS, WARM_UP_CALLS)();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const calls = await until(Date.now() + ms)();
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { perCore: calls / Math.max(cpuSeconds, 1e-6), perWall: calls / wall };
}

/**
 * Mapping throughput, in-process with no Kafka: records per CPU-second (per core) of each compiled mapping's
 * `map()` (the registry exactly as the ingest builds it), on realistic records from each mapping's
 * generator, both from an already-parsed record and from bytes (parse + map, the ingest's per-record
 * source work). Per domain: all of the domain's mappings interleaved.
 */
export async function runMappingThroughput(
  ctx: Pick<BenchContext, 'options' | 'catalogue' | 'results' | 'log'>,
): Promise<MappingResult> {
  const prepared: Prepared[] = [];
  for (const mapping of ctx.catalogue.registry.mappings) {
    const generator = generatorFor(mapping.id, ctx.catalogue.files, ctx.options.synthetic);
    if (!generator) {
      ctx.results.notes.push(`mapping: ${mapping.id} has no generator; not measured`);
      continue;
    }
    const rnd = seededRandom(ctx.options.seed);
    const contentType = mapping.format === 'xml' ? 'application/xml' : 'application/json';
    const p: Prepared = {
      mapping,
      generator: generator.handWritten ? 'hand-written' : 'synthetic',
      contentType,
      bytes: [],
      records: [],
      contexts: [],
    };
    for (let n = 0; n < SAMPLE_RECORDS; n++) {
      const bytes = sourceBytes(generator.make(n, rnd));
      const parsed = parseSource(bytes, contentType);
      if (!parsed.ok) continue;
      p.bytes.push(bytes);
      p.records.push(parsed.value.record);
      p.contexts.push({ eventId: `map-${n}`, row: n + 1, fileId: 'map-file' });
    }
    if (p.records.length > 0) prepared.push(p);
  }
  const perMapping: MappingResult['perMapping'] = [];
  for (const p of prepared) {
    const n = p.records.length;
    const mapRate = await measureRate(ctx.options.measureMs, (i) =>
      p.mapping.map(p.records[i % n]!, p.contexts[i % n]),
    );
    const parseAndMapRate = await measureRate(ctx.options.measureMs, async (i) => {
      const parsed = parseSource(p.bytes[i % n]!, p.contentType);
      if (parsed.ok) await p.mapping.map(parsed.value.record, p.contexts[i % n]);
    });
    perMapping.push({
      mappingId: p.mapping.id,
      domain: p.mapping.entity.domain,
      format: p.mapping.format,
      generator: p.generator,
      meanBytes: Math.round(p.bytes.reduce((a, b) => a + b.length, 0) / n),
      mapPerSecond: round(mapRate.perCore, 0),
      parseAndMapPerSecond: round(parseAndMapRate.perCore, 0),
      wallMapPerSecond: round(mapRate.perWall, 0),
      wallParseAndMapPerSecond: round(parseAndMapRate.perWall, 0),
    });
    ctx.log(
      `mapping: ${p.mapping.id}: ${round(mapRate.perCore, 0)} map/s, ${round(parseAndMapRate.perCore, 0)} parse+map/s per core (wall ${round(mapRate.perWall, 0)} / ${round(parseAndMapRate.perWall, 0)})`,
    );
  }
  const perDomain: MappingResult['perDomain'] = [];
  for (const domain of [...new Set(prepared.map((p) => p.mapping.entity.domain))]) {
    const mine = prepared.filter((p) => p.mapping.entity.domain === domain);
    const pickOf = (i: number) => {
      const p = mine[i % mine.length]!;
      const j = Math.floor(i / mine.length) % p.records.length;
      return { p, j };
    };
    const mapRate = await measureRate(ctx.options.measureMs, (i) => {
      const { p, j } = pickOf(i);
      return p.mapping.map(p.records[j]!, p.contexts[j]);
    });
    const parseAndMapRate = await measureRate(ctx.options.measureMs, async (i) => {
      const { p, j } = pickOf(i);
      const parsed = parseSource(p.bytes[j]!, p.contentType);
      if (parsed.ok) await p.mapping.map(parsed.value.record, p.contexts[j]);
    });
    perDomain.push({
      domain,
      mapPerSecond: round(mapRate.perCore, 0),
      parseAndMapPerSecond: round(parseAndMapRate.perCore, 0),
    });
  }
  return { perMapping, perDomain };
}
