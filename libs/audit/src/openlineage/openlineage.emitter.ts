import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { AuditEvent } from '../audit-event';
import {
  HUB_PRODUCER,
  OPENLINEAGE_SCHEMA_URL,
  OpenLineageDataset,
  OpenLineageRunEvent,
  RunState,
} from './openlineage-run-event';

/** Where run events go: an HTTP endpoint (e.g. Marquez `/api/v1/lineage`) and/or a JSON Lines file. */
export interface OpenLineageSinks {
  url?: string;
  file?: string;
}

export interface OpenLineageOptions {
  /** Job namespace, e.g. `council-integration-hub`. */
  namespace: string;
  /** Dataset namespace for Kafka topics: `kafka://host:port` of the first broker. */
  kafkaNamespace: string;
  sinks: OpenLineageSinks;
  /** Topic prefix to strip from dataset names (tests' namespaces). */
  topicNamespace?: string;
}

interface JobState {
  runId: string;
  started: boolean;
  inputs: Set<string>;
  outputs: Map<string, number>;
}

const STATS_FACET =
  'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet';

/**
 * Turns the audit stream into OpenLineage run events: each feed's ingest (`ingest.<council>.<domain>`)
 * and each entity's routing (`route.<domain>.<entity>`) is a long-running streaming job whose run
 * reports, on every flush, the topics it read and wrote with the records written since the last
 * flush. Lineage tools then draw council topic → canonical topic → SSC topic.
 */
export class OpenLineageEmitter {
  private readonly jobs = new Map<string, JobState>();

  constructor(private readonly options: OpenLineageOptions) {}

  /** Folds a batch of audit events into the pending run state (cheap; no I/O). */
  observe(events: readonly AuditEvent[]): void {
    for (const e of events) {
      const d = e.detail;
      if (e.stage === 'received' && typeof d.topic === 'string')
        this.job(`ingest.${e.council}.${e.domain}`).inputs.add(d.topic);
      if (e.stage === 'transformed' && typeof d.canonicalTopic === 'string')
        this.count(`ingest.${e.council}.${e.domain}`, d.canonicalTopic);
      if (e.stage === 'rejected' && typeof d.dlqTopic === 'string')
        this.count(`ingest.${e.council}.${e.domain}`, d.dlqTopic);
      if (e.stage === 'delivered' && e.entity) {
        const job = this.job(`route.${e.entity}`);
        job.inputs.add(`${this.options.topicNamespace ?? ''}canonical.${e.entity}`);
        if (typeof d.topic === 'string') this.count(`route.${e.entity}`, d.topic);
        else if (typeof d.destination === 'string') this.count(`route.${e.entity}`, `http:${d.destination}`);
      }
    }
  }

  /** Builds the pending run events (START for new jobs, RUNNING with statistics) and resets counts. */
  drain(now = new Date(), state: RunState = 'RUNNING'): OpenLineageRunEvent[] {
    const out: OpenLineageRunEvent[] = [];
    for (const [name, job] of this.jobs) {
      if (job.outputs.size === 0 && job.inputs.size === 0 && job.started && state === 'RUNNING') continue;
      if (!job.started) {
        out.push(this.event(name, job, 'START', now, false));
        job.started = true;
      }
      out.push(this.event(name, job, state, now, true));
      job.outputs.clear();
      job.inputs.clear();
    }
    return out;
  }

  /** Sends what is pending to the configured sinks. Failures are reported, never thrown into the audit path. */
  async flush(now = new Date(), state: RunState = 'RUNNING'): Promise<{ sent: number; error?: string }> {
    const events = this.drain(now, state);
    if (events.length === 0) return { sent: 0 };
    try {
      if (this.options.sinks.file)
        await appendFile(this.options.sinks.file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
      if (this.options.sinks.url) {
        for (const event of events) {
          const response = await fetch(this.options.sinks.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(event),
            signal: AbortSignal.timeout(5_000),
          });
          if (!response.ok) throw new Error(`OpenLineage endpoint answered ${response.status}`);
        }
      }
      return { sent: events.length };
    } catch (error) {
      return { sent: 0, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private job(name: string): JobState {
    let job = this.jobs.get(name);
    if (!job) {
      job = { runId: randomUUID(), started: false, inputs: new Set(), outputs: new Map() };
      this.jobs.set(name, job);
    }
    return job;
  }

  private count(jobName: string, topic: string): void {
    const job = this.job(jobName);
    job.outputs.set(topic, (job.outputs.get(topic) ?? 0) + 1);
  }

  private dataset(topic: string, rowCount?: number): OpenLineageDataset {
    const prefix = this.options.topicNamespace ?? '';
    const name = prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
    const isHttp = name.startsWith('http:');
    return {
      namespace: isHttp ? 'http://shared-service-centre' : this.options.kafkaNamespace,
      name: isHttp ? name.slice('http:'.length) : name,
      ...(rowCount === undefined
        ? {}
        : {
            outputFacets: {
              outputStatistics: { _producer: HUB_PRODUCER, _schemaURL: STATS_FACET, rowCount },
            },
          }),
    };
  }

  private event(
    name: string,
    job: JobState,
    eventType: RunState,
    now: Date,
    withStats: boolean,
  ): OpenLineageRunEvent {
    return {
      eventType,
      eventTime: now.toISOString(),
      producer: HUB_PRODUCER,
      schemaURL: OPENLINEAGE_SCHEMA_URL,
      run: { runId: job.runId },
      job: { namespace: this.options.namespace, name },
      inputs: [...job.inputs].map((t) => this.dataset(t)),
      outputs: [...job.outputs].map(([t, n]) => this.dataset(t, withStats ? n : undefined)),
    };
  }
}
