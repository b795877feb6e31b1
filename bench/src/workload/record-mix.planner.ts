import type { CompiledMapping } from '@hub/mapping';
import { Domain, isDomain } from '@hub/platform';
import { generatorFor } from '../generators/generator.registry';
import type { SourceRecordGenerator } from '../generators/generator.types';
import type { HubCatalogue } from './hub-catalogue.loader';

/** ce_type prefix of rows the console splits from an uploaded file (apps/ingest FILE_ROW_TYPE_PREFIX). */
export const FILE_ROW_TYPE_PREFIX = 'hub.file.row.';

/** One kind of record the bench sends: a feed's event type, or rows of a feed's file export. */
export interface RecordSource {
  /** e.g. `coventry.finance uk.gov.council.finance.spend` or `warwickshire.finance file-row.csv`. */
  readonly id: string;
  readonly council: string;
  readonly domain: Domain;
  readonly gss: string;
  readonly ceSource: string;
  readonly system: string;
  readonly ceType: string;
  readonly contentType: 'application/json' | 'application/xml';
  readonly kind: 'event' | 'file-row';
  readonly mapping: CompiledMapping;
  readonly generator: SourceRecordGenerator;
  /** Share of the records (sums to 1 over the mix). */
  weight: number;
}

/** What the bench will send, and which feeds it left out and why. */
export interface RecordMix {
  readonly sources: RecordSource[];
  readonly excluded: Array<{ readonly source: string; readonly reason: string }>;
}

/** How to choose the mix (from the command line). */
export interface MixOptions {
  readonly mix: Readonly<Record<string, number>>;
  readonly fileRows: boolean;
  readonly nonMembers: boolean;
  readonly synthetic: boolean;
}

/**
 * Picks the record sources from the partnership configuration: every feed whose domain has registered
 * entities (the same rule the ingest uses), each event type, and (optionally) file-export rows; only
 * partnership members unless asked. Weights: per domain from `--mix` (default 1 each), split evenly over
 * the domain's sources. Sources without a generator are listed as excluded.
 */
export function planRecordMix(catalogue: HubCatalogue, options: MixOptions): RecordMix {
  const activeDomains = new Set(catalogue.entities.map((e) => e.domain as string));
  const sources: RecordSource[] = [];
  const excluded: Array<{ source: string; reason: string }> = [];
  for (const feed of catalogue.partnership.feeds) {
    const where = `${feed.council}.${feed.domain}`;
    if (!isDomain(feed.domain) || !activeDomains.has(feed.domain)) {
      excluded.push({ source: where, reason: `no ${feed.domain} entity registered in @hub/domains yet` });
      continue;
    }
    if (!feed.partnershipMember && !options.nonMembers) {
      excluded.push({
        source: where,
        reason:
          'not a partnership member (no data-sharing agreement: refused, never delivered); --non-members adds it',
      });
      continue;
    }
    if ((options.mix[feed.domain] ?? 1) <= 0) {
      excluded.push({ source: where, reason: `--mix gives ${feed.domain} weight 0` });
      continue;
    }
    const gss = catalogue.partnership.council(feed.council)?.gss ?? '';
    const system = feed.systems[0];
    if (!system) {
      excluded.push({ source: where, reason: 'feed has no system' });
      continue;
    }
    const add = (
      id: string,
      ceType: string,
      kind: RecordSource['kind'],
      mapping: CompiledMapping | undefined,
    ) => {
      if (!mapping) {
        excluded.push({ source: id, reason: 'no compiled mapping in the registry' });
        return;
      }
      const generator = generatorFor(mapping.id, catalogue.files, options.synthetic);
      if (!generator) {
        excluded.push({
          source: id,
          reason: `no generator for mapping ${mapping.id}${options.synthetic ? '' : ' (--no-synthetic)'}`,
        });
        return;
      }
      const contentType =
        kind === 'file-row' || mapping.format === 'json' ? 'application/json' : 'application/xml';
      sources.push({
        id,
        council: feed.council,
        domain: feed.domain as Domain,
        gss,
        ceSource: system.ceSource,
        system: system.id,
        ceType,
        contentType,
        kind,
        mapping,
        generator,
        weight: 0,
      });
    };
    for (const ceType of Object.keys(feed.eventTypes)) {
      add(
        `${where} ${ceType}`,
        ceType,
        'event',
        catalogue.registry.forEvent(feed.council, feed.domain, ceType),
      );
    }
    for (const format of ['csv', 'xml'] as const) {
      if (!feed.files[format]) continue;
      if (!options.fileRows) {
        excluded.push({ source: `${where} file-row.${format}`, reason: '--no-file-rows' });
        continue;
      }
      add(
        `${where} file-row.${format}`,
        `${FILE_ROW_TYPE_PREFIX}${format}`,
        'file-row',
        catalogue.registry.forFile(feed.council, feed.domain, format),
      );
    }
  }
  setWeights(sources, options.mix);
  return { sources, excluded };
}

/** Recomputes weights after sources were removed. */
export function setWeights(sources: RecordSource[], mix: Readonly<Record<string, number>>): void {
  const perDomain = new Map<string, number>();
  for (const s of sources) perDomain.set(s.domain, (perDomain.get(s.domain) ?? 0) + 1);
  let total = 0;
  for (const s of sources) {
    s.weight = (mix[s.domain] ?? 1) / perDomain.get(s.domain)!;
    total += s.weight;
  }
  for (const s of sources) s.weight /= total;
}
