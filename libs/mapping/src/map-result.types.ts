import type { CanonicalOperation } from '@hub/canonical';

/** Stable codes of a field-level problem (a subset of the hub's DLQ `hub_error_code` values). */
export type FieldIssueCode = 'MAPPING.FIELD_INVALID' | 'MAPPING.FIELD_MISSING' | 'SOURCE.SCHEMA_INVALID';

/**
 * One problem with one field. `message` names the field and the rule and never the value: values may
 * be personal data, and issues end up in DLQ headers and logs.
 */
export interface FieldIssue {
  readonly code: FieldIssueCode;
  /** Canonical dotted path, or `recordId` / `operation` / `record`. */
  readonly field: string;
  readonly message: string;
}

/** A record that mapped and passed canonical validation. */
export interface MapSuccess {
  readonly ok: true;
  /** The source record id (e.g. `PT348115,1`), for the canonical id and lineage. */
  readonly recordId: string;
  readonly operation: CanonicalOperation;
  /** The entity's data, validated against its class, as plain JSON. `{}` for a delete. */
  readonly data: Record<string, unknown>;
  /** Problems that did not stop the record (a mangled UPRN, an optional field dropped). */
  readonly warnings: readonly FieldIssue[];
}

/** A record that could not be mapped; it belongs on the DLQ with these issues. */
export interface MapFailure {
  readonly ok: false;
  readonly errors: readonly FieldIssue[];
}

/** Outcome of mapping one source record. */
export type MapResult = MapSuccess | MapFailure;

/**
 * Facts about the source record that are not in its payload, referable from rules as `$row`,
 * `$eventId`, `$fileId` and `$fileName`.
 */
export interface MapContext {
  /**
   * Row of a file export as a spreadsheet numbers it (the header is row 1 in a file without preamble),
   * as `@hub/source-formats` reports `rowNumber` and lineage records `source.file.row`.
   */
  readonly row?: number;
  /** CloudEvents `ce_id`. */
  readonly eventId?: string;
  readonly fileId?: string;
  readonly fileName?: string;
}
