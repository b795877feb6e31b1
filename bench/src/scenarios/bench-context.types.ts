import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { BenchOptions } from '../cli/bench-options.parser';
import type { BenchInfrastructure } from '../infra/bench-infrastructure.resolver';
import type { BenchTopicsProvisioner } from '../infra/bench-topics.provisioner';
import type { CleanupRegistry } from '../infra/cleanup.registry';
import type { ProcessStatsSampler } from '../measure/process-stats.sampler';
import type { BenchResults } from '../report/bench-results.model';
import type { BenchRecordFactory } from '../workload/bench-record.factory';
import type { HubCatalogue } from '../workload/hub-catalogue.loader';
import type { RecordMix } from '../workload/record-mix.planner';

/** What every scenario gets: settings, infrastructure, the workload, and where to put results. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly runId: string;
  /** Temporary folder for app logs, tokens and lookup files (kept for reading after the run). */
  readonly workDir: string;
  readonly infra: BenchInfrastructure;
  /** The bench's own Kafka client (producers, counters, admin). */
  readonly kafka: Kafka;
  /** A pool on the bench database (schemas are always named explicitly). */
  readonly pool: Pool;
  readonly catalogue: HubCatalogue;
  readonly mix: RecordMix;
  readonly factory: BenchRecordFactory;
  readonly cleanup: CleanupRegistry;
  readonly sampler: ProcessStatsSampler;
  readonly topicsAdmin: BenchTopicsProvisioner;
  /** Topic namespaces and schemas this run made (deleted/dropped at the end). */
  readonly namespaces: string[];
  readonly schemas: string[];
  readonly results: BenchResults;
  log(message: string): void;
}
