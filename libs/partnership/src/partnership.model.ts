/** The four back-office domains the hub joins up. */
export type Domain = 'hr' | 'finance' | 'crm' | 'waste';

/** Every domain, in a stable order. */
export const DOMAINS: readonly Domain[] = ['hr', 'finance', 'crm', 'waste'];

/** Council types, as the GSS code prefix encodes them (E06, E07, E08, E09, E10). */
export type CouncilType = 'unitary' | 'district' | 'metropolitan-district' | 'london-borough' | 'county';

/** GSS prefix of each council type, for validation. */
export const GSS_PREFIX_BY_TYPE: Readonly<Record<CouncilType, string>> = {
  unitary: 'E06',
  district: 'E07',
  'metropolitan-district': 'E08',
  'london-borough': 'E09',
  county: 'E10',
};

/** A council in the registry. Codes change on reorganisation, so each entry has validity dates. */
export interface Council {
  /** Partnership slug, used in topic names and `ce_source` (e.g. `coventry`). */
  readonly slug: string;
  readonly name: string;
  /** ONS GSS code, e.g. `E08000026`. */
  readonly gss: string;
  readonly type: CouncilType;
  /** First day the council (under this code) existed, ISO date. */
  readonly validFrom: string;
  /** First day it no longer existed (exclusive), ISO date; `null` while current. */
  readonly validTo: string | null;
}

/** One source system of a feed; its events carry `ce_source` = `/councils/<council>/<id>`. */
export interface FeedSystem {
  readonly id: string;
  readonly ceSource: string;
}

/** File-export mappings of a feed, by file format. */
export interface FeedFiles {
  readonly csv?: string;
  readonly xml?: string;
}

/** One council's feed for one domain: its systems, and which mapping each record type uses. */
export interface Feed {
  readonly council: string;
  readonly domain: Domain;
  readonly systems: readonly FeedSystem[];
  /** CloudEvents `ce_type` to mapping id. */
  readonly eventTypes: Readonly<Record<string, string>>;
  /** File format to mapping id, for uploaded exports. */
  readonly files: FeedFiles;
  /** ISO 8601 duration: how often records are expected (e.g. `PT5M`, `P1M`). */
  readonly cadence: string;
  /** `cadence` in seconds (years as 365 days, months as 30 days). */
  readonly cadenceSeconds: number;
  /** Whether the council is a member of the partnership (false for onboarding examples). */
  readonly partnershipMember: boolean;
  readonly description?: string;
  /** The config file this feed came from, relative to the repository root (for messages). */
  readonly configFile: string;
}

/** The loaded, validated partnership configuration. */
export interface Partnership {
  readonly councils: readonly Council[];
  readonly feeds: readonly Feed[];
  /** The council with this slug, or `undefined`. */
  council(slug: string): Council | undefined;
  /** The council with this GSS code, or `undefined`. */
  councilByGss(gss: string): Council | undefined;
  /** The feed of a council for a domain, or `undefined`. */
  feed(council: string, domain: string): Feed | undefined;
  /** All feeds of a council. */
  feedsOf(council: string): readonly Feed[];
}

/** Whether a council existed on a given ISO date (`validFrom` inclusive, `validTo` exclusive). */
export function isCouncilValidOn(council: Council, isoDate: string): boolean {
  return council.validFrom <= isoDate && (council.validTo === null || isoDate < council.validTo);
}
