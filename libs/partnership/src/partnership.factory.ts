import { ceSourceOf } from './ce-source.parser';
import { isoDurationSeconds } from './iso-duration.parser';
import { PartnershipConfigError } from './partnership-config.error';
import {
  DOMAINS,
  GSS_PREFIX_BY_TYPE,
  type Council,
  type CouncilType,
  type Domain,
  type Feed,
  type FeedSystem,
  type Partnership,
} from './partnership.model';

/** A config file as read from disk: its path (for messages) and parsed JSON, not yet validated. */
export interface PartnershipConfigFile {
  readonly path: string;
  readonly content: unknown;
}

type Json = Record<string, unknown>;

const SLUG = /^[a-z][a-z0-9-]*$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const GSS = /^[ENSW]\d{8}$/;
const MAPPING_ID = /^[a-z0-9][a-z0-9.-]*$/;
const CE_TYPE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const COUNCIL_TYPES = Object.keys(GSS_PREFIX_BY_TYPE) as CouncilType[];

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(o: Json, known: readonly string[], where: string, problems: string[]): void {
  for (const key of Object.keys(o))
    if (!known.includes(key))
      problems.push(`${where}.${key} is not a known key (known: ${known.join(', ')})`);
}

function parseCouncils(file: PartnershipConfigFile, problems: string[]): Council[] {
  const c = file.content;
  if (!isObject(c) || !Array.isArray(c['councils'])) {
    problems.push(`${file.path}: must be an object with a "councils" list`);
    return [];
  }
  const out: Council[] = [];
  const seenSlug = new Set<string>();
  const seenGss = new Set<string>();
  c['councils'].forEach((raw: unknown, i: number) => {
    const where = `${file.path}: councils[${i}]`;
    if (!isObject(raw)) {
      problems.push(`${where} must be an object`);
      return;
    }
    const before = problems.length;
    unknownKeys(raw, ['slug', 'name', 'gss', 'type', 'validFrom', 'validTo'], where, problems);
    const { slug, name, gss, type, validFrom, validTo } = raw;
    if (typeof slug !== 'string' || !SLUG.test(slug))
      problems.push(`${where}.slug must be a lower-case slug such as "coventry"`);
    else if (seenSlug.has(slug)) problems.push(`${where}.slug "${slug}" is used twice`);
    if (typeof name !== 'string' || name.trim() === '')
      problems.push(`${where}.name must be the council's name`);
    if (typeof gss !== 'string' || !GSS.test(gss))
      problems.push(`${where}.gss must be a GSS code such as "E08000026"`);
    else if (seenGss.has(gss)) problems.push(`${where}.gss "${gss}" is used twice`);
    if (!COUNCIL_TYPES.includes(type as CouncilType))
      problems.push(`${where}.type must be one of ${COUNCIL_TYPES.join(', ')}`);
    else if (
      typeof gss === 'string' &&
      gss.startsWith('E') &&
      !gss.startsWith(GSS_PREFIX_BY_TYPE[type as CouncilType])
    ) {
      problems.push(
        `${where}.gss must start with ${GSS_PREFIX_BY_TYPE[type as CouncilType]} for a ${String(type)} council`,
      );
    }
    if (typeof validFrom !== 'string' || !ISO_DATE.test(validFrom))
      problems.push(`${where}.validFrom must be an ISO date (yyyy-mm-dd)`);
    if (
      validTo !== null &&
      validTo !== undefined &&
      (typeof validTo !== 'string' || !ISO_DATE.test(validTo))
    ) {
      problems.push(`${where}.validTo must be an ISO date or null`);
    } else if (typeof validTo === 'string' && typeof validFrom === 'string' && validTo <= validFrom) {
      problems.push(`${where}.validTo must be after validFrom`);
    }
    if (problems.length > before) return;
    seenSlug.add(slug as string);
    seenGss.add(gss as string);
    out.push(
      Object.freeze({
        slug: slug as string,
        name: name as string,
        gss: gss as string,
        type: type as CouncilType,
        validFrom: validFrom as string,
        validTo: (validTo as string | undefined) ?? null,
      }),
    );
  });
  return out;
}

function parseFeeds(
  file: PartnershipConfigFile,
  councils: ReadonlyMap<string, Council>,
  problems: string[],
): Feed[] {
  const c = file.content;
  if (!isObject(c) || typeof c['council'] !== 'string' || !Array.isArray(c['feeds'])) {
    problems.push(`${file.path}: must be an object with "council" (a slug) and a "feeds" list`);
    return [];
  }
  const fileCouncil = c['council'];
  unknownKeys(c, ['$comment', 'council', 'feeds'], `${file.path}:`, problems);
  if (!councils.has(fileCouncil))
    problems.push(`${file.path}: council "${fileCouncil}" is not in councils.json`);
  const out: Feed[] = [];
  const seenDomains = new Set<string>();
  c['feeds'].forEach((raw: unknown, i: number) => {
    const where = `${file.path}: feeds[${i}]`;
    if (!isObject(raw)) {
      problems.push(`${where} must be an object`);
      return;
    }
    const before = problems.length;
    unknownKeys(
      raw,
      ['council', 'domain', 'description', 'systems', 'eventTypes', 'files', 'cadence', 'partnershipMember'],
      where,
      problems,
    );
    const { council, domain, description, systems, eventTypes, files, cadence, partnershipMember } = raw;
    if (council !== fileCouncil)
      problems.push(`${where}.council must be "${fileCouncil}" (the council of this file)`);
    if (!DOMAINS.includes(domain as Domain))
      problems.push(`${where}.domain must be one of ${DOMAINS.join(', ')}`);
    else if (seenDomains.has(domain as string))
      problems.push(`${where}.domain "${String(domain)}" has two feeds for ${fileCouncil}`);
    if (description !== undefined && typeof description !== 'string')
      problems.push(`${where}.description must be a string`);
    const parsedSystems: FeedSystem[] = [];
    if (!Array.isArray(systems) || systems.length === 0)
      problems.push(`${where}.systems must list at least one source system`);
    else {
      systems.forEach((s: unknown, j: number) => {
        const at = `${where}.systems[${j}]`;
        if (!isObject(s) || typeof s['id'] !== 'string' || !SLUG.test(s['id'])) {
          problems.push(`${at}.id must be a lower-case system id such as "agresso"`);
          return;
        }
        unknownKeys(s, ['id', 'ceSource'], at, problems);
        const expected = ceSourceOf(fileCouncil, s['id']);
        if (s['ceSource'] !== expected) problems.push(`${at}.ceSource must be "${expected}"`);
        if (parsedSystems.some((p) => p.id === s['id']))
          problems.push(`${at}.id "${s['id']}" is listed twice`);
        parsedSystems.push(Object.freeze({ id: s['id'], ceSource: expected }));
      });
    }
    const types: Record<string, string> = {};
    if (eventTypes !== undefined && !isObject(eventTypes))
      problems.push(`${where}.eventTypes must map ce_type to a mapping id`);
    else {
      for (const [ceType, mappingId] of Object.entries(eventTypes ?? {})) {
        if (!CE_TYPE.test(ceType)) problems.push(`${where}.eventTypes["${ceType}"] is not a valid ce_type`);
        if (typeof mappingId !== 'string' || !MAPPING_ID.test(mappingId))
          problems.push(`${where}.eventTypes["${ceType}"] must be a mapping id`);
        else types[ceType] = mappingId;
      }
    }
    const fileMappings: { csv?: string; xml?: string } = {};
    if (files !== undefined && !isObject(files))
      problems.push(`${where}.files must map a file format (csv, xml) to a mapping id`);
    else {
      for (const [format, mappingId] of Object.entries(files ?? {})) {
        if (format !== 'csv' && format !== 'xml')
          problems.push(`${where}.files.${format} is not a file format (csv, xml)`);
        else if (typeof mappingId !== 'string' || !MAPPING_ID.test(mappingId))
          problems.push(`${where}.files.${format} must be a mapping id`);
        else fileMappings[format] = mappingId;
      }
    }
    if (Object.keys(types).length === 0 && Object.keys(fileMappings).length === 0) {
      problems.push(`${where} must have at least one eventTypes or files entry`);
    }
    const cadenceSeconds = typeof cadence === 'string' ? isoDurationSeconds(cadence) : undefined;
    if (cadenceSeconds === undefined)
      problems.push(`${where}.cadence must be an ISO 8601 duration such as "PT5M"`);
    if (typeof partnershipMember !== 'boolean')
      problems.push(`${where}.partnershipMember must be true or false`);
    if (problems.length > before) return;
    seenDomains.add(domain as string);
    out.push(
      Object.freeze({
        council: fileCouncil,
        domain: domain as Domain,
        systems: Object.freeze(parsedSystems),
        eventTypes: Object.freeze(types),
        files: Object.freeze(fileMappings),
        cadence: cadence as string,
        cadenceSeconds: cadenceSeconds!,
        partnershipMember: partnershipMember as boolean,
        ...(description === undefined ? {} : { description: description as string }),
        configFile: file.path,
      }),
    );
  });
  return out;
}

/**
 * Builds a {@link Partnership} from already-read config files, validating everything. Throws one
 * {@link PartnershipConfigError} listing every problem (each naming the file and field).
 */
export function createPartnership(
  councilsFile: PartnershipConfigFile,
  feedFiles: readonly PartnershipConfigFile[],
): Partnership {
  const problems: string[] = [];
  const councils = parseCouncils(councilsFile, problems);
  const bySlug = new Map(councils.map((c) => [c.slug, c]));
  const byGss = new Map(councils.map((c) => [c.gss, c]));
  const feeds = feedFiles.flatMap((file) => parseFeeds(file, bySlug, problems));
  const seenCouncilFiles = new Map<string, string>();
  for (const file of feedFiles) {
    const council = isObject(file.content) ? file.content['council'] : undefined;
    if (typeof council !== 'string') continue;
    if (!file.path.endsWith(`/${council}.json`) && file.path !== `${council}.json`) {
      problems.push(`${file.path}: holds the feeds of "${council}", so it must be named ${council}.json`);
    }
    const earlier = seenCouncilFiles.get(council);
    if (earlier !== undefined)
      problems.push(
        `${file.path}: council "${council}" already has a feed file (${earlier}); use one file per council`,
      );
    seenCouncilFiles.set(council, file.path);
  }
  if (problems.length > 0) throw new PartnershipConfigError(problems);

  const byFeed = new Map(feeds.map((f) => [`${f.council}/${f.domain}`, f]));
  const byCouncil = new Map<string, Feed[]>();
  for (const feed of feeds) byCouncil.set(feed.council, [...(byCouncil.get(feed.council) ?? []), feed]);
  return Object.freeze({
    councils: Object.freeze(councils),
    feeds: Object.freeze(feeds),
    council: (slug: string) => bySlug.get(slug),
    councilByGss: (gss: string) => byGss.get(gss),
    feed: (council: string, domain: string) => byFeed.get(`${council}/${domain}`),
    feedsOf: (council: string) => byCouncil.get(council) ?? [],
  });
}
