import { repoRoot } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import {
  MappingConfigError,
  MappingFiles,
  MappingRegistry,
  buildMappingRegistry,
  loadMappingFiles,
} from '@hub/mapping';
import { Partnership, loadPartnership } from '@hub/partnership';
import { Domain, TopicNames, isDomain } from '@hub/platform';
import { RoutingTable, loadRoutingTable } from '@hub/routing';

/** The hub's configuration as the apps load it at start-up: partnership, mappings, routing. */
export interface HubCatalogue {
  readonly root: string;
  readonly partnership: Partnership;
  readonly files: MappingFiles;
  readonly registry: MappingRegistry;
  readonly routing: RoutingTable;
  /** Canonical entities of the hub's domains (what the router consumes). */
  readonly entities: ReadonlyArray<{ domain: Domain; entity: string }>;
  /** Services of the Kafka destinations (`ssc.<service>`). */
  readonly sscServices: readonly string[];
  /** Set when the repository's mapping configuration does not load as the apps load it (they will not start). */
  readonly problem?: string;
}

/** Loads the catalogue exactly as ingest and router do (same files, same validation). */
export function loadHubCatalogue(): HubCatalogue {
  const root = repoRoot();
  const partnership = loadPartnership(root);
  const all = loadMappingFiles(root);
  let files = all;
  let registry: MappingRegistry;
  let problem: string | undefined;
  try {
    registry = buildMappingRegistry(partnership, ALL_ENTITIES, all);
  } catch (error) {
    if (!(error instanceof MappingConfigError)) throw error;
    // Another domain is half-added (mapping files before its entities): the apps will refuse to start,
    // but the in-process scenarios can still measure the mappings whose entities are registered.
    problem = error.message;
    const known = new Set(ALL_ENTITIES.map((e) => e.name));
    files = {
      ...all,
      mappings: all.mappings.filter((f) =>
        known.has(String((f.content as { entity?: unknown } | null)?.entity)),
      ),
    };
    registry = buildMappingRegistry(partnership, ALL_ENTITIES, files);
  }
  const routing = loadRoutingTable();
  const entities = ALL_ENTITIES.filter((e) => isDomain(e.domain)).map((e) => ({
    domain: e.domain as Domain,
    entity: e.entity,
  }));
  const sscServices = routing.allDestinations.flatMap((d) => (d.kind === 'kafka' ? [d.service] : []));
  return { root, partnership, files, registry, routing, entities, sscServices, problem };
}

/** Every topic of one namespace the bench's traffic touches. */
export interface BenchTopicSet {
  council: string[];
  canonical: string[];
  ssc: string[];
  dlq: string[];
  audit: string;
}

/** Topic names of one namespace for the given council feeds. */
export function benchTopics(
  catalogue: HubCatalogue,
  topics: TopicNames,
  feeds: ReadonlyArray<{ council: string; domain: Domain }>,
): BenchTopicSet {
  const unique = (list: string[]) => [...new Set(list)];
  return {
    council: unique(feeds.map((f) => topics.council(f.council, f.domain))),
    canonical: unique(catalogue.entities.map((e) => topics.canonical(e.domain, e.entity))),
    ssc: unique(catalogue.sscServices.map((s) => topics.ssc(s))),
    dlq: unique(feeds.map((f) => topics.dlq(f.council, f.domain))),
    audit: topics.audit,
  };
}
