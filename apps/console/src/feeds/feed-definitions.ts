import type { Partnership } from '@hub/partnership';
import { Domain, isDomain } from '@hub/platform';

/** One council x domain feed as the operations view knows it (from config/partnership). */
export interface FeedDefinition {
  council: string;
  domain: Domain;
  description: string | null;
  /** ISO 8601 duration, e.g. `PT5M`. */
  cadence: string;
  cadenceSeconds: number;
  /** False for onboarding examples that are not (yet) partnership members: shown, never alerted on. */
  member: boolean;
  /** True when the domain has canonical entities, so the ingest consumes the feed. */
  active: boolean;
}

/**
 * Every configured feed, in config order, marked active when its domain has entities in @hub/domains
 * (the same rule the ingest uses to decide which council topics to consume).
 */
export function feedDefinitions(
  partnership: Partnership,
  activeDomains: ReadonlySet<string>,
): FeedDefinition[] {
  return partnership.feeds
    .filter((f) => isDomain(f.domain))
    .map((f) => ({
      council: f.council,
      domain: f.domain as Domain,
      description: f.description ?? null,
      cadence: f.cadence,
      cadenceSeconds: f.cadenceSeconds,
      member: f.partnershipMember,
      active: activeDomains.has(f.domain),
    }));
}
