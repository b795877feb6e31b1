/**
 * The canonical record envelope: what the hub writes to `canonical.<domain>.<entity>`.
 *
 * The entity's own fields live in `data` and are described by the entity's published JSON Schema
 * (`libs/canonical/schemas/<schemaId>.json`); everything else here is common to every entity.
 */

/** What a canonical record asks its consumers to do with the record it identifies. */
export type CanonicalOperation = 'upsert' | 'delete';

/** The two operations, in a stable order (for validation and enums). */
export const CANONICAL_OPERATIONS: readonly CanonicalOperation[] = ['upsert', 'delete'];

/** Which council a record belongs to: the partnership slug and the ONS GSS code. */
export interface CouncilRef {
  readonly slug: string;
  readonly gss: string;
}

/** Where a row of an uploaded file came from (present only for file exports). */
export interface SourceFileRef {
  readonly id: string;
  readonly name: string;
  /** Row number as a spreadsheet shows it (header and preamble rows counted), as the file parser reports it. */
  readonly row: number;
}

/** Lineage back to the source event: enough to find the original bytes again. */
export interface SourceLineage {
  /** The source system's id in the partnership config (e.g. `agresso`). */
  readonly system: string;
  /** The source system's own record id (e.g. `PT348115,1`). */
  readonly recordId: string;
  /** CloudEvents `ce_id` of the source event. */
  readonly eventId: string;
  /** CloudEvents `ce_type` of the source event. */
  readonly eventType: string;
  /** CloudEvents `ce_time`, ISO 8601, when the source system sent one. */
  readonly eventTime?: string;
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset as a decimal string (offsets exceed 2^53 in principle). */
  readonly offset: string;
  readonly file?: SourceFileRef;
}

/** Which mapping produced the record, so a replay can be explained. */
export interface MappingRef {
  readonly id: string;
  readonly version: number;
}

/** The value of a `canonical.<domain>.<entity>` message. */
export interface CanonicalRecord<TData extends object = Record<string, unknown>> {
  /** The entity's schema id, e.g. `hub.finance.spend.v1`. */
  readonly schema: string;
  /** Stable id of the source record: {@link canonicalRecordId}. */
  readonly id: string;
  /** Unique per source event: {@link canonicalRevisionId}. */
  readonly revision: string;
  readonly operation: CanonicalOperation;
  readonly council: CouncilRef;
  readonly source: SourceLineage;
  readonly mapping: MappingRef;
  /** ISO 8601 UTC instant at which the hub produced the record. */
  readonly transformedAt: string;
  readonly data: TData;
}
