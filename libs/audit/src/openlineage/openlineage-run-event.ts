/**
 * The OpenLineage (spec 2-0-2) shapes the hub emits. Only what we produce is typed here: run events
 * for long-running streaming jobs, with Kafka topics as datasets.
 */
export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
export const HUB_PRODUCER = 'https://github.com/council-integration-hub/hub/tree/main/libs/audit';

export type RunState = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: Record<string, unknown>;
  outputFacets?: Record<string, unknown>;
}

export interface OpenLineageRunEvent {
  eventType: RunState;
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets?: Record<string, unknown> };
  job: { namespace: string; name: string; facets?: Record<string, unknown> };
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
}
