import type { Domain, ErrorCode } from '@hub/platform';
import type { SourceRecord } from '@hub/source-formats';

/** A field problem found while mapping; names the field and rule, never the value. */
export interface FieldProblem {
  code: ErrorCode;
  field: string;
  message: string;
}

export type MapOutcome =
  | {
      ok: true;
      recordId: string;
      operation: 'upsert' | 'delete';
      data: object;
      warnings: readonly FieldProblem[];
    }
  | { ok: false; errors: readonly FieldProblem[] };

/** A council feed's compiled mapping for one record type, as the ingest uses it. */
export interface ResolvedMapping {
  id: string;
  version: number;
  domain: Domain;
  /** e.g. `spend` */
  entity: string;
  /** e.g. `hub.finance.spend.v1` */
  schemaId: string;
  /** The source format the mapping reads: a record's content-type must match it. */
  format: 'json' | 'xml' | 'csv';
  /** XML: the root element an event message must have (e.g. `ApPayment`), when the mapping names one. */
  root?: string;
  /** CSV: the column alias groups the mapping reads; a text/csv record's header must name at least two. */
  columns?: string[][];
  /** Maps and validates one source record; expected failures come back as values. */
  map(
    record: SourceRecord,
    context: { eventId?: string; fileId?: string; row?: number },
  ): Promise<MapOutcome>;
}

export type SourceCheck = { ok: true; system: string } | { ok: false; code: ErrorCode; reason: string };

/**
 * What the ingest needs from the partnership configuration and the mapping registry. Built once at
 * start-up (see feed-catalogue.adapter.ts); lookups on the hot path are map reads.
 */
export interface FeedCatalogue {
  councilGss(council: string): string | undefined;
  /** Checks `ce_source` against the council of the topic and the feed's known systems. */
  checkSource(council: string, domain: Domain, ceSource: string): SourceCheck;
  mappingFor(council: string, domain: Domain, ceType: string): ResolvedMapping | undefined;
  /** The mapping for rows of an uploaded file export in this format. */
  fileMappingFor(council: string, domain: Domain, format: 'csv' | 'xml'): ResolvedMapping | undefined;
  /** ce_types the feed accepts (for error messages). */
  knownTypes(council: string, domain: Domain): string[];
  /** Every council feed to consume. */
  feeds(): Array<{ council: string; domain: Domain }>;
  /** Every canonical entity, for topic creation. */
  entities(): Array<{ domain: Domain; entity: string }>;
}
