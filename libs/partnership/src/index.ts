/**
 * @hub/partnership: the councils of the partnership, their feeds, and which mapping each record type
 * uses, loaded from `config/partnership/` and validated once at start-up.
 */
export { DOMAINS, GSS_PREFIX_BY_TYPE, isCouncilValidOn } from './partnership.model';
export type {
  Council,
  CouncilType,
  Domain,
  Feed,
  FeedFiles,
  FeedSystem,
  Partnership,
} from './partnership.model';
export { ceSourceOf, parseCeSource } from './ce-source.parser';
export { isoDurationSeconds } from './iso-duration.parser';
export { PartnershipConfigError } from './partnership-config.error';
export { createPartnership } from './partnership.factory';
export type { PartnershipConfigFile } from './partnership.factory';
export { findPartnershipRoot, loadPartnership, loadPartnershipDir } from './partnership.loader';
