/** A deterministic source of numbers in [0, 1), so a run can be reproduced from its seed. */
export type Rng = () => number;

/** One source record in a council system's own layout, before it is turned into Kafka bytes. */
export type GeneratedSource =
  | { readonly kind: 'json'; readonly key: string; readonly object: Readonly<Record<string, unknown>> }
  | { readonly kind: 'xml'; readonly key: string; readonly xml: string }
  | { readonly kind: 'csv'; readonly key: string; readonly row: Readonly<Record<string, string>> };

/**
 * Makes realistic records in the layout one mapping file reads (`mappingId`). `sequence` makes the
 * record's source id unique within a run; `rnd` picks the values.
 */
export interface SourceRecordGenerator {
  readonly mappingId: string;
  readonly format: 'json' | 'xml' | 'csv';
  /** false for records synthesised from the mapping file alone (no hand-written generator yet). */
  readonly handWritten: boolean;
  make(sequence: number, rnd: Rng): GeneratedSource;
}
