import type { EntityDefinition } from '@hub/canonical';
import type { Feed, Partnership } from '@hub/partnership';
import type { CompiledLookup } from './field-rule.compiler';
import { MappingConfigError } from './mapping-config.error';
import { compileLookup, compileMapping, prepareEntities, type CompiledMapping } from './mapping.compiler';
import type { MappingFiles } from './mapping-file.types';
import { validateLookupFile } from './mapping-file.validator';

/** File formats a feed may upload. */
export type FileFormat = 'csv' | 'xml';

/** A feed the registry does not serve yet, and why. */
export interface InactiveFeed {
  readonly council: string;
  readonly domain: string;
  readonly reason: string;
}

/** Every compiled mapping, indexed the ways the ingest path asks for them. */
export interface MappingRegistry {
  /** The mapping for an event of `ceType` on a council's domain feed, or `undefined`. */
  forEvent(council: string, domain: string, ceType: string): CompiledMapping | undefined;
  /** The mapping for an uploaded file of `format` on a council's domain feed, or `undefined`. */
  forFile(council: string, domain: string, format: FileFormat): CompiledMapping | undefined;
  /** A mapping by id, or `undefined`. */
  get(id: string): CompiledMapping | undefined;
  readonly mappings: readonly CompiledMapping[];
  /**
   * Feeds whose domain has no registered entity yet (its models are still being written): they are
   * not served, and apps should log them at start-up. Once a domain registers an entity, every one of
   * its feeds must resolve or start-up fails.
   */
  readonly inactiveFeeds: readonly InactiveFeed[];
}

const key = (...parts: string[]): string => parts.join('\u0000');

/**
 * Compiles every mapping file once, checks every feed's references (mapping exists, belongs to the
 * feed's domain, fits the record format), and indexes the result. Throws one {@link MappingConfigError}
 * listing every problem, each naming the file and field, so start-up fails fast.
 */
export function buildMappingRegistry(
  partnership: Pick<Partnership, 'feeds'>,
  entities: readonly EntityDefinition[],
  files: MappingFiles,
): MappingRegistry {
  const problems: string[] = [];
  const prepared = prepareEntities(entities);

  const shared = new Map<string, CompiledLookup>();
  for (const file of files.lookups) {
    const { spec, problems: found } = validateLookupFile(file);
    problems.push(...found);
    if (spec === undefined) continue;
    if (shared.has(spec.name))
      problems.push(`${file.path}: name "${spec.name}" is already used by another lookup file`);
    shared.set(spec.name, compileLookup(spec.name, spec.entries));
  }

  const byId = new Map<string, CompiledMapping>();
  for (const file of files.mappings) {
    const { mapping, problems: found } = compileMapping(file, prepared, shared);
    problems.push(...found);
    if (mapping === undefined) continue;
    const earlier = byId.get(mapping.id);
    if (earlier !== undefined)
      problems.push(`${file.path}: id "${mapping.id}" is already used by ${earlier.file}`);
    else byId.set(mapping.id, mapping);
  }

  const activeDomains = new Set(entities.map((e) => e.domain));
  const events = new Map<string, CompiledMapping>();
  const uploads = new Map<string, CompiledMapping>();
  const inactiveFeeds: InactiveFeed[] = [];
  const resolve = (
    feed: Feed,
    where: string,
    mappingId: string,
    formats: readonly string[],
  ): CompiledMapping | undefined => {
    const mapping = byId.get(mappingId);
    const at = `${feed.configFile}: ${feed.domain} feed ${where}`;
    if (mapping === undefined) {
      // A mapping that failed to compile is already reported; only report ids with no file at all.
      if (
        !files.mappings.some(
          (f) =>
            typeof f.content === 'object' &&
            f.content !== null &&
            (f.content as { id?: unknown }).id === mappingId,
        )
      ) {
        problems.push(`${at} names mapping "${mappingId}", but no mapping file has that id`);
      }
      return undefined;
    }
    if (mapping.entity.domain !== feed.domain) {
      problems.push(
        `${at} names mapping "${mappingId}" of entity ${mapping.entity.name}, which is not in the ${feed.domain} domain`,
      );
      return undefined;
    }
    if (!formats.includes(mapping.format)) {
      problems.push(
        `${at} names mapping "${mappingId}" whose format is ${mapping.format} (expected ${formats.join(' or ')})`,
      );
      return undefined;
    }
    return mapping;
  };
  for (const feed of partnership.feeds) {
    if (!activeDomains.has(feed.domain)) {
      inactiveFeeds.push({
        council: feed.council,
        domain: feed.domain,
        reason: `no ${feed.domain} entity is registered in @hub/domains yet`,
      });
      continue;
    }
    for (const [ceType, mappingId] of Object.entries(feed.eventTypes)) {
      const mapping = resolve(feed, `eventTypes["${ceType}"]`, mappingId, ['json', 'xml']);
      if (mapping !== undefined) events.set(key(feed.council, feed.domain, ceType), mapping);
    }
    for (const [format, mappingId] of Object.entries(feed.files) as [FileFormat, string][]) {
      const mapping = resolve(feed, `files.${format}`, mappingId, [format]);
      if (mapping !== undefined) uploads.set(key(feed.council, feed.domain, format), mapping);
    }
  }
  if (problems.length > 0) throw new MappingConfigError(problems);

  return Object.freeze({
    forEvent: (council: string, domain: string, ceType: string) => events.get(key(council, domain, ceType)),
    forFile: (council: string, domain: string, format: FileFormat) =>
      uploads.get(key(council, domain, format)),
    get: (id: string) => byId.get(id),
    mappings: Object.freeze([...byId.values()]),
    inactiveFeeds: Object.freeze(inactiveFeeds),
  });
}
