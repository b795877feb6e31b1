import { repoRoot } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import {
  CompiledMapping,
  MappingFileSpec,
  MappingFiles,
  MappingRegistry,
  buildMappingRegistry,
  loadMappingFiles,
} from '@hub/mapping';
import { Partnership, loadPartnership, loadPartnershipDir, parseCeSource } from '@hub/partnership';
import { Domain, ErrorCodes, isDomain } from '@hub/platform';
import { FeedCatalogue, ResolvedMapping } from './feed-catalogue.port';

/**
 * Builds the ingest's view of the partnership: councils, feeds, systems and compiled mappings, all
 * resolved once at start-up. Configuration errors fail here, naming the file and field.
 */
export function loadFeedCatalogue(partnershipDir?: string): FeedCatalogue {
  const partnership = partnershipDir ? loadPartnershipDir(partnershipDir) : loadPartnership();
  const files = loadMappingFiles(repoRoot());
  const registry = buildMappingRegistry(partnership, ALL_ENTITIES, files);
  return createFeedCatalogue(partnership, registry, sourceShapesOf(files));
}

/** What the ingest reads from a mapping file beyond the compiled mapping, to check a message's shape first. */
export interface SourceShape {
  /** XML: the document element of one event (the compiled mapping only uses it to unwrap file rows). */
  root?: string;
  /** CSV: the columns the mapping reads, one alias group per rule, for the parser's header search. */
  columns?: string[][];
}

/**
 * The source shape each mapping file declares. The ingest refuses an XML event whose document is of
 * another kind, and finds a CSV record's header by the columns its mapping reads: without them any first
 * line counts as a header, and an unclosed quote would pass as a one-column, semicolon-separated file.
 * Runs after buildMappingRegistry, which has validated every file, hence the cast.
 */
export function sourceShapesOf(files: MappingFiles): Map<string, SourceShape> {
  const shapes = new Map<string, SourceShape>();
  for (const file of files.mappings) {
    const spec = file.content as MappingFileSpec;
    if (spec.format === 'xml' && spec.root) shapes.set(spec.id, { root: spec.root });
    if (spec.format !== 'csv') continue;
    const groups = new Map<string, string[]>();
    for (const rule of [spec.recordId, ...Object.values(spec.fields)]) {
      const aliases =
        rule.from === undefined ? [] : typeof rule.from === 'string' ? [rule.from] : [...rule.from];
      const parts = [aliases, ...(rule.concat ?? []).map((c) => [c])];
      for (const group of parts) {
        const columns = group.filter((c) => !c.startsWith('$'));
        if (columns.length > 0) groups.set(columns.join('\u001f'), columns);
      }
    }
    // A group whose columns another group already names (a concat part that is also a field) adds nothing.
    const all = [...groups.values()];
    const columns = all.filter(
      (g) =>
        !all.some((other) => other !== g && other.length > g.length && g.every((c) => other.includes(c))),
    );
    shapes.set(spec.id, { columns });
  }
  return shapes;
}

/** The catalogue over an already-loaded partnership and registry (tests build their own). */
export function createFeedCatalogue(
  partnership: Partnership,
  registry: MappingRegistry,
  shapes: ReadonlyMap<string, SourceShape> = new Map(),
): FeedCatalogue {
  const resolved = new Map<string, ResolvedMapping>();
  const resolve = (m: CompiledMapping | undefined): ResolvedMapping | undefined => {
    if (!m) return undefined;
    let r = resolved.get(m.id);
    if (!r) {
      if (!isDomain(m.entity.domain))
        throw new Error(`mapping ${m.id}: entity domain ${m.entity.domain} is not a hub domain`);
      r = {
        id: m.id,
        version: m.version,
        domain: m.entity.domain,
        entity: m.entity.entity,
        schemaId: m.entity.schemaId,
        format: m.format,
        ...shapes.get(m.id),
        map: (record, context) => m.map(record, context),
      };
      resolved.set(m.id, r);
    }
    return r;
  };
  const activeDomains = new Set(ALL_ENTITIES.map((e) => e.domain));
  // Feeds of a domain with no registered entities yet have no mappings to run: not consumed.
  const feeds = partnership.feeds.filter((f) => activeDomains.has(f.domain) && isDomain(f.domain));

  return {
    councilGss: (slug) => partnership.council(slug)?.gss,
    checkSource(council, domain, ceSource) {
      const parsed = parseCeSource(ceSource);
      if (!parsed) {
        return {
          ok: false,
          code: ErrorCodes.ENVELOPE_HEADER_INVALID,
          reason: 'Header ce_source must look like /councils/<council>/<system>.',
        };
      }
      if (parsed.council !== council) {
        return {
          ok: false,
          code: ErrorCodes.SECURITY_SOURCE_MISMATCH,
          reason: `ce_source names council ${parsed.council} but the record was published on ${council}'s topic; a council can only publish its own records.`,
        };
      }
      const system = partnership.feed(council, domain)?.systems.find((s) => s.ceSource === ceSource);
      if (!system) {
        return {
          ok: false,
          code: ErrorCodes.SECURITY_SOURCE_UNKNOWN,
          reason: `ce_source ${ceSource} is not a registered system of the ${council} ${domain} feed; register it in config/partnership.`,
        };
      }
      return { ok: true, system: system.id };
    },
    mappingFor: (council, domain, ceType) => resolve(registry.forEvent(council, domain, ceType)),
    fileMappingFor: (council, domain, format) => resolve(registry.forFile(council, domain, format)),
    knownTypes: (council, domain) => Object.keys(partnership.feed(council, domain)?.eventTypes ?? {}),
    feeds: () => feeds.map((f) => ({ council: f.council, domain: f.domain as Domain })),
    entities: () =>
      ALL_ENTITIES.filter((e) => isDomain(e.domain)).map((e) => ({
        domain: e.domain as Domain,
        entity: e.entity,
      })),
  };
}
