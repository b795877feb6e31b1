import { Feed, Partnership } from '@hub/partnership';
import { DemoFileGenerator, DemoGenerator } from './demo-generator';

/** One stream of demo events: a council feed's record type and the generator shaped for its mapping. */
export interface DemoStream {
  council: string;
  domain: string;
  ceType: string;
  ceSource: string;
  generator: DemoGenerator;
  /** Fraction of records sent broken (the deliberately flaky feed). */
  brokenRate: number;
  /** Milliseconds after start when the stream stops (the deliberately late feed); undefined = never. */
  stopsAfterMs?: number;
}

/** The feed the demo makes flaky, so a newcomer sees DLQ entries, a failing tile and a replay. */
export const FLAKY_FEED = { council: 'solihull', domain: 'finance', brokenRate: 0.1 };

/**
 * The feed the demo lets fall silent after a minute (as when a council's integration credentials
 * expire), so a newcomer sees a late feed: its configured cadence is one minute, so it turns late two
 * minutes after it stops.
 */
export const LATE_FEED = { council: 'warwickshire', domain: 'crm', stopsAfterMs: 60_000 };

/**
 * Plans the demo traffic from configuration: every partnership member's event feed whose mapping has a
 * generator. Feeds of domains without entities yet, or without generators, are left out.
 */
export function planDemoTraffic(
  partnership: Pick<Partnership, 'feeds'>,
  generators: ReadonlyMap<string, DemoGenerator>,
  activeDomains: ReadonlySet<string>,
): DemoStream[] {
  const streams: DemoStream[] = [];
  for (const feed of partnership.feeds as readonly Feed[]) {
    if (!feed.partnershipMember || !activeDomains.has(feed.domain)) continue;
    for (const [ceType, mappingId] of Object.entries(feed.eventTypes)) {
      const generator = generators.get(mappingId);
      if (!generator) continue;
      const flaky =
        FLAKY_FEED.council === feed.council && FLAKY_FEED.domain === feed.domain && generator.makeBroken;
      streams.push({
        council: feed.council,
        domain: feed.domain,
        ceType,
        ceSource: feed.systems[0].ceSource,
        generator,
        brokenRate: flaky ? FLAKY_FEED.brokenRate : 0,
        stopsAfterMs:
          LATE_FEED.council === feed.council && LATE_FEED.domain === feed.domain
            ? LATE_FEED.stopsAfterMs
            : undefined,
      });
    }
  }
  return streams;
}

/** One file-export feed of the demo: a council feed's file format and the generator of its exports. */
export interface DemoFileStream {
  council: string;
  domain: string;
  generator: DemoFileGenerator;
}

/** Plans the demo's file exports: every partnership member's file feed whose mapping has a generator. */
export function planDemoFiles(
  partnership: Pick<Partnership, 'feeds'>,
  generators: ReadonlyMap<string, DemoFileGenerator>,
  activeDomains: ReadonlySet<string>,
): DemoFileStream[] {
  const streams: DemoFileStream[] = [];
  for (const feed of partnership.feeds as readonly Feed[]) {
    if (!feed.partnershipMember || !activeDomains.has(feed.domain)) continue;
    for (const mappingId of Object.values(feed.files)) {
      const generator = mappingId ? generators.get(mappingId) : undefined;
      if (generator) streams.push({ council: feed.council, domain: feed.domain, generator });
    }
  }
  return streams;
}
