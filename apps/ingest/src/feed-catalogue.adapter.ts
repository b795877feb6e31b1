import { repoRoot } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import { CompiledMapping, MappingRegistry, buildMappingRegistry, loadMappingFiles } from '@hub/mapping';
import { Partnership, loadPartnership, parseCeSource } from '@hub/partnership';
import { Domain, ErrorCodes, isDomain } from '@hub/platform';
import { FeedCatalogue, ResolvedMapping } from './feed-catalogue.port';

/**
 * Builds the ingest's view of the partnership: councils, feeds, systems and compiled mappings, all
 * resolved once at start-up. Configuration errors fail here, naming the file and field.
 */
export function loadFeedCatalogue(partnershipDir?: string): FeedCatalogue {
  const partnership = partnershipDir ? loadPartnership(partnershipDir) : loadPartnership();
  const registry = buildMappingRegistry(partnership, ALL_ENTITIES, loadMappingFiles(repoRoot()));
  return createFeedCatalogue(partnership, registry);
}

/** The catalogue over an already-loaded partnership and registry (tests build their own). */
export function createFeedCatalogue(partnership: Partnership, registry: MappingRegistry): FeedCatalogue {
  const resolved = new Map<string, ResolvedMapping>();
  const resolve = (m: CompiledMapping | undefined): ResolvedMapping | undefined => {
    if (!m) return undefined;
    let r = resolved.get(m.id);
    if (!r) {
      if (!isDomain(m.entity.domain)) throw new Error(`mapping ${m.id}: entity domain ${m.entity.domain} is not a hub domain`);
      r = {
        id: m.id,
        version: m.version,
        domain: m.entity.domain,
        entity: m.entity.entity,
        schemaId: m.entity.schemaId,
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
        return { ok: false, code: ErrorCodes.ENVELOPE_HEADER_INVALID, reason: 'Header ce_source must look like /councils/<council>/<system>.' };
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
      ALL_ENTITIES.filter((e) => isDomain(e.domain)).map((e) => ({ domain: e.domain as Domain, entity: e.entity })),
  };
}
