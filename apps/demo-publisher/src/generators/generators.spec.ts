import { repoRoot } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import { buildMappingRegistry, loadMappingFiles } from '@hub/mapping';
import type { MappingFileSpec } from '@hub/mapping';
import { loadPartnership } from '@hub/partnership';
import {
  ParsedRecord,
  ParseResult,
  isRecordRow,
  parseCsvFile,
  parseJsonRecord,
  parseXmlFile,
  parseXmlRecord,
} from '@hub/source-formats';
import { seededRandom } from '../demo-generator';
import { planDemoFiles, planDemoTraffic } from '../demo-traffic.plan';
import { DEMO_FILE_GENERATORS, DEMO_GENERATORS } from './index';

function parse(body: string, contentType: string): ParseResult<ParsedRecord> {
  const bytes = Buffer.from(body, 'utf8');
  return contentType === 'application/json' ? parseJsonRecord(bytes) : parseXmlRecord(bytes);
}

describe('demo generators', () => {
  const partnership = loadPartnership();
  const registry = buildMappingRegistry(partnership, ALL_ENTITIES, loadMappingFiles(repoRoot()));

  it.each([...DEMO_GENERATORS.values()].map((g) => [g.mappingId, g] as const))(
    '%s makes records its mapping accepts',
    async (_id, generator) => {
      const mapping = registry.get(generator.mappingId);
      expect(mapping).toBeDefined();
      const rnd = seededRandom(7);
      for (let n = 0; n < 200; n++) {
        const record = generator.make(n, rnd);
        const parsed = parse(record.body, generator.contentType);
        if (!parsed.ok) throw new Error(`${generator.mappingId} #${n}: ${parsed.error.reason}`);
        const mapped = await mapping!.map(parsed.value.record, { eventId: `e${n}` });
        if (!mapped.ok)
          throw new Error(`${generator.mappingId} #${n}: ${mapped.errors.map((e) => e.message).join('; ')}`);
        expect(mapped.recordId).toBe(record.key);
      }
    },
  );

  it('broken records of the flaky feed really are broken', () => {
    const solihull = DEMO_GENERATORS.get('solihull.finance.spend-xml')!;
    const parsed = parse(solihull.makeBroken!(1, seededRandom(1)).body, solihull.contentType);
    expect(parsed.ok).toBe(false);
  });

  it('plans a stream for every partnership event feed that has a generator, and one flaky feed', () => {
    const streams = planDemoTraffic(partnership, DEMO_GENERATORS, new Set(ALL_ENTITIES.map((e) => e.domain)));
    expect(streams.map((s) => `${s.council}.${s.domain}`)).toEqual(
      expect.arrayContaining(['coventry.finance', 'solihull.finance']),
    );
    expect(streams.filter((s) => s.brokenRate > 0).map((s) => s.council)).toEqual(['solihull']);
    // One feed falls silent after a minute so the dashboard shows a late feed.
    expect(
      streams.filter((s) => s.stopsAfterMs !== undefined).map((s) => `${s.council}.${s.domain}`),
    ).toEqual(['warwickshire.crm']);
    expect(streams.every((s) => s.ceSource.startsWith(`/councils/${s.council}/`))).toBe(true);
  });
});

/** The columns a CSV mapping reads, one alias group per rule: how the hub finds the header below a title row. */
function columnGroups(spec: MappingFileSpec): string[][] {
  const groups: string[][] = [];
  for (const rule of [spec.recordId, ...Object.values(spec.fields)]) {
    const aliases = rule.from === undefined ? [] : [rule.from].flat();
    for (const group of [aliases, ...(rule.concat ?? []).map((c) => [c])]) {
      const columns = group.filter((c) => !c.startsWith('$'));
      if (columns.length > 0) groups.push(columns);
    }
  }
  return groups;
}

describe('demo file generators', () => {
  const files = loadMappingFiles(repoRoot());
  const registry = buildMappingRegistry(loadPartnership(), ALL_ENTITIES, files);

  it.each([...DEMO_FILE_GENERATORS.values()].map((g) => [g.mappingId, g] as const))(
    '%s makes a file of 200 rows, each parsed by @hub/source-formats and accepted by its mapping',
    async (_id, generator) => {
      const mapping = registry.get(generator.mappingId);
      expect(mapping).toBeDefined();
      const spec = files.mappings
        .map((f) => f.content as MappingFileSpec & { recordPath?: string })
        .find((c) => c.id === generator.mappingId)!;
      const { name, body } = generator.makeFile(1, seededRandom(7), 200);
      const parsed =
        generator.format === 'csv'
          ? parseCsvFile(body, { expectedColumns: columnGroups(spec) })
          : parseXmlFile(body, { recordPath: spec.recordPath ?? '' });
      if (!parsed.ok) throw new Error(`${generator.mappingId}: ${parsed.error.reason}`);
      expect(parsed.value.rows).toHaveLength(200);
      const ids = new Set<string>();
      for (const row of parsed.value.rows) {
        if (!isRecordRow(row))
          throw new Error(`${generator.mappingId} row ${row.rowNumber}: ${row.error.reason}`);
        const mapped = await mapping!.map(row.record, { row: row.rowNumber, fileName: name });
        if (!mapped.ok)
          throw new Error(
            `${generator.mappingId} row ${row.rowNumber}: ${mapped.errors.map((e) => e.message).join('; ')}`,
          );
        ids.add(mapped.recordId);
      }
      expect(ids.size).toBe(200);
    },
  );
});

describe('demo file exports', () => {
  it('plans an upload for every partnership file feed, Warwickshire finance, hr and waste among them', () => {
    const files = planDemoFiles(
      loadPartnership(),
      DEMO_FILE_GENERATORS,
      new Set(ALL_ENTITIES.map((e) => e.domain)),
    );
    expect(files.map((f) => `${f.council}.${f.domain}`).sort()).toEqual([
      'warwickshire.finance',
      'warwickshire.hr',
      'warwickshire.waste',
    ]);
  });
});
