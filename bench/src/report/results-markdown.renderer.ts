import type { CpuCost } from '../measure/cpu-cost.calculator';
import type { BenchResults } from './bench-results.model';
import { memoryTable, stageTable } from './markdown-tables';
import { renderSoakMarkdown } from './soak-markdown.renderer';
import { renderMarkdownTable } from './results-table.builder';

const n = (v: number | undefined, digits = 0): string =>
  v === undefined || Number.isNaN(v) ? '-' : v.toLocaleString('en-GB', { maximumFractionDigits: digits });

/** The CPU-per-record table of a run, with a JVM's JIT compiling split out where it was measured. */
export function renderCpuTable(cpu: CpuCost | undefined): string {
  if (!cpu) return '';
  const lines = [
    '',
    `CPU per record (all processes but the bench): **${n(cpu.totalMsPerRecord, 3)} ms** → ${n(cpu.cpuBoundRecordsPerSecond)} records/s if CPU-bound on this machine's cores.`,
    '',
    '| Process | CPU s | CPU ms per record |',
    '|---|---|---|',
  ];
  const jit: string[] = [];
  for (const [name, c] of Object.entries(cpu.perProcess)) {
    const ofWhich =
      c.jitMsPerRecord === undefined ? '' : ` (of which JIT compiling: ${n(c.jitMsPerRecord, 3)})`;
    lines.push(`| ${name} | ${n(c.cpuSeconds, 2)} | ${n(c.msPerRecord, 3)}${ofWhich} |`);
    if (c.jitMsPerRecord !== undefined && c.jitMsPerRecord > 0) jit.push(name);
  }
  if (jit.length > 0) {
    lines.push(
      '',
      `JIT compiling: the CPU of the JVM's compiler threads (${jit.join(', ')}), compiling hot paths it had not run before; a broker that has run for a while no longer pays it. It is included in the totals above.`,
    );
  }
  return lines.join('\n');
}

/** The header the README and the results file share: what was measured where, and how to reproduce it. */
export function renderSummaryMarkdown(r: BenchResults, chartFile: string): string {
  const m = r.machine;
  return [
    `Run \`${r.runId}\` at ${r.startedAt} (${n(r.durationSeconds)} s)${r.label ? `: ${r.label}` : ''}`,
    '',
    `- Command: \`${r.command}\``,
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB; ${m.kernel}`,
    `- Load (shared machine): start \`${m.uptimeAtStart}\`; end \`${m.uptimeAtEnd ?? '-'}\``,
    `- Node ${r.versions.node}, kafkajs ${r.versions.kafkajs}, Kafka ${r.versions.kafka} (${r.infrastructure.kafka}), ${r.versions.postgres ?? 'Postgres'} (${r.infrastructure.postgres})`,
    `- Code: ${m.gitCommit}`,
    '',
    renderMarkdownTable(r.table),
    '',
    `![throughput over time](${chartFile})`,
  ].join('\n');
}

/** The full results page: summary, then the evidence behind each number. */
export function renderResultsMarkdown(r: BenchResults, chartFile: string): string {
  const out: string[] = ['# Hub benchmark results', '', renderSummaryMarkdown(r, chartFile), ''];
  out.push('## Record mix', '');
  out.push(
    `Mean source record ${n(r.mix.meanValueBytes)} B; mean canonical record ${n(r.mix.meanCanonicalBytes)} B.`,
    '',
  );
  out.push('| Source | Share | Mapping | Generator | Content type |', '|---|---|---|---|---|');
  for (const s of r.mix.sources)
    out.push(`| ${s.id} | ${n(s.weight * 100, 1)}% | ${s.mapping} | ${s.generator} | ${s.contentType} |`);
  if (r.mix.excluded.length > 0) {
    out.push('', 'Left out:', '');
    for (const e of r.mix.excluded) out.push(`- ${e.source}: ${e.reason}`);
  }
  const s = r.scenarios;
  if (s.baseline?.length) {
    out.push('', '## Baseline', '');
    for (const b of s.baseline) {
      out.push(
        `- **${b.mode}**: ${b.description}. ${n(b.records)} records, ${n(b.deliveries)} SSC messages in ${n(b.seconds, 2)} s: **${n(b.recordsPerSecond)} records/s** (${n(b.deliveriesPerSecond)} SSC messages/s). Pre-produce rate ${n(b.produceRecordsPerSecond)}/s.${b.complete ? '' : ' INCOMPLETE.'}`,
      );
      if (b.hops) out.push('', stageTable(b.hops));
      out.push(renderCpuTable(b.cpu), '');
    }
  }
  if (s.hub) {
    const h = s.hub;
    out.push('', '## Hub end to end', '');
    out.push(`Clock: ${h.clock}.`, '');
    out.push(
      `- ${n(h.records)} records, ${n(h.expectedDeliveries)} SSC deliveries expected; delivered ${n(h.delivered)} in ${n(h.deliveredSeconds, 2)} s, audited ${n(h.audited)} in ${n(h.auditedSeconds, 2)} s.`,
    );
    out.push(
      `- **${n(h.recordsPerSecond)} records/s** delivered and audited (${n(h.deliveredOnlyRecordsPerSecond)}/s counting delivery only); audit lag ${n(h.auditLagSeconds, 2)} s; rejected by the hub: ${n(h.rejectedByHub)}.`,
    );
    out.push(
      `- Ratio to baseline: ${h.ratioToPlainBaseline === undefined ? '-' : n(h.ratioToPlainBaseline * 100, 1)}% of plain, ${h.ratioToTransactionalBaseline === undefined ? '-' : n(h.ratioToTransactionalBaseline * 100, 1)}% of transactional.`,
    );
    out.push(`- Records the in-process mapping predicted would go to a DLQ: ${n(h.expectedRejected)}.`);
    out.push(
      '',
      'Per process during the run (apps: from /metrics hub_batch_duration_seconds; CPU from /proc):',
      '',
      stageTable(h.stages),
    );
    out.push(renderCpuTable(h.cpu));
  }
  if (s.latency) {
    const l = s.latency;
    out.push('', '## Latency at a fixed rate', '');
    out.push(
      `Offered ${n(l.offeredRate)}/s for ${l.durationSeconds} s (achieved ${n(l.achievedRate)}/s, producer at most ${n(l.producerMaxBehind)} records behind); ${n(l.delivered)}/${n(l.expectedDeliveries)} arrived; all audited: ${l.auditedAll ? 'yes' : 'no'}; drain after the last send ${n(l.drainSeconds, 2)} s.`,
      '',
    );
    if (l.warmup) {
      const w = l.warmup;
      out.push(
        `Before the clock: a warm-up of ${w.seconds} s at the same rate, not in the percentiles (\`--warmup\`): ${n(w.delivered)}/${n(w.expected)} delivered${w.settled ? ' and audited' : ', NOT settled before the clock'}; its first delivery came ${n(w.firstDeliveryMs)} ms after its first send (the hub's start-up after idling).`,
        '',
      );
    }
    out.push('| Percentile | ms |', '|---|---|');
    for (const p of l.percentiles) out.push(`| ${p.percentile} | ${n(p.ms)} |`);
    out.push(`| mean | ${n(l.meanMs, 1)} |`);
    out.push('', 'Memory over the run (RSS, MB):', '', memoryTable(l.memory));
    out.push(
      '',
      `Records: ${n(l.distinctRecords)} distinct source records, the rest re-sent as updates with new ce_ids.`,
    );
    out.push('', 'Per process during the offered-load phase:', '', stageTable(l.stages));
    out.push(renderCpuTable(l.cpu));
  }
  if (s.lineage) {
    const li = s.lineage;
    out.push('', '## Lineage lookup', '');
    out.push(
      `${n(li.rows)} rows over ${li.months} monthly partitions (${n(li.tableSizeGb, 2)} GB with indexes)${li.reused ? ', reused from an earlier run' : `, generated, indexed and attached in ${n(li.loadSeconds, 1)} s (about ${n(li.indexSeconds, 1)} s of it indexing/attaching)`}. ${n(li.lookups)} record-id lookups (file ids below, separately): p50 ${n(li.p50Ms, 2)} ms, p95 ${n(li.p95Ms, 2)} ms, p99 ${n(li.p99Ms, 2)} ms, max ${n(li.maxMs, 2)} ms.`,
      '',
    );
    out.push('| Id kind | lookups | p50 ms | p95 ms |', '|---|---|---|---|');
    for (const [kind, k] of Object.entries(li.byKind))
      out.push(`| ${kind} | ${k.lookups} | ${n(k.p50Ms, 2)} | ${n(k.p95Ms, 2)} |`);
    out.push(
      '',
      "EXPLAIN ANALYZE of findLineage's matching query (one random id per kind):",
      '',
      '| Id kind | planning ms | execution ms |',
      '|---|---|---|',
    );
    for (const p of li.plans) out.push(`| ${p.kind} | ${n(p.planningMs, 2)} | ${n(p.executionMs, 2)} |`);
  }
  if (s.mapping) {
    out.push('', '## Mapping throughput (one core, in-process)', '');
    out.push(
      'Rates per CPU-second of the measuring thread (per core); wall-clock rates, which the shared machine depresses, in brackets.',
      '',
    );
    out.push(
      '| Mapping | Domain | Format | Generator | mean bytes | map()/s per core | parse + map()/s per core |',
      '|---|---|---|---|---|---|---|',
    );
    for (const m of s.mapping.perMapping)
      out.push(
        `| ${m.mappingId} | ${m.domain} | ${m.format} | ${m.generator} | ${n(m.meanBytes)} | ${n(m.mapPerSecond)} (${n(m.wallMapPerSecond)}) | ${n(m.parseAndMapPerSecond)} (${n(m.wallParseAndMapPerSecond)}) |`,
      );
    out.push(
      '',
      '| Domain (its mappings interleaved) | map()/s per core | parse + map()/s per core |',
      '|---|---|---|',
    );
    for (const d of s.mapping.perDomain)
      out.push(`| ${d.domain} | ${n(d.mapPerSecond)} | ${n(d.parseAndMapPerSecond)} |`);
  }
  if (s.stages) {
    const st = s.stages;
    out.push('', '## Stage code cost (one core, in-process, no Kafka)', '');
    out.push(
      `Batches of ${st.batchSize} records; ${n(st.auditEventsPerRecord, 2)} audit events per record.`,
      '',
    );
    out.push(
      `- ingest use case (with its one audit-log history query per batch): ${n(st.ingest.recordsPerSecond)} records per CPU-second (${n(st.ingest.microsPerRecord, 1)} µs/record; wall ${n(st.ingest.wallRecordsPerSecond)}/s)`,
    );
    out.push(
      `- router use case: ${n(st.router.recordsPerSecond)} records per CPU-second (${n(st.router.microsPerRecord, 1)} µs/record; wall ${n(st.router.wallRecordsPerSecond)}/s)`,
    );
    out.push(
      `- audit decode + hash chain: ${n(st.auditHash.eventsPerSecond)} events per CPU-second (${n(st.auditHash.microsPerEvent, 1)} µs/event)`,
    );
    out.push(
      `- AuditLogWriter.writeBatch (COPY into Postgres): ${n(st.auditWrite.eventsPerSecond)} events per CPU-second of writer + Postgres = ${n(st.auditWrite.recordsPerSecond)} records; wall ${n(st.auditWrite.wallEventsPerSecond)} events/s, ${n(st.auditWrite.msPerBatch, 1)} ms per call of ${n(st.auditWrite.eventsPerBatch)} events`,
    );
  }
  if (s.scaleOut) {
    const so = s.scaleOut;
    out.push(
      '',
      '## Scale-out',
      '',
      `Clock: ${so.clock}.`,
      '',
      '| Ingest instances | records | seconds | records/s | delivered / expected | CPU ms per record | CPU % of one core by process |',
      '|---|---|---|---|---|---|---|',
    );
    for (const run of so.runs) {
      const cpu = Object.entries(run.cpuPercentByProcess ?? {})
        .map(([name, pct]) => `${name} ${n(pct)}`)
        .join(', ');
      out.push(
        `| ${run.instances} | ${n(run.records)} | ${n(run.seconds, 2)} | ${n(run.recordsPerSecond)} | ${n(run.delivered)} / ${n(run.expected)} | ${n(run.cpuMsPerRecord, 2)} | ${cpu} |`,
      );
    }
    if (so.churn) {
      const c = so.churn;
      out.push('', `Join/leave run: ${n(c.records)} records at ${n(c.rate)}/s. ${c.events.join('; ')}.`);
      out.push(
        `Expected ${n(c.expected)} deliveries; SSC messages ${n(c.sscMessages)} (${n(c.sscDistinct)} distinct delivery ids, ${n(c.sscDuplicates)} doubles); audit delivered ${n(c.auditDelivered)} (${n(c.auditDistinctDelivered)} distinct), received ${n(c.auditReceived)} (${n(c.auditDistinctReceived)} distinct). Lost ${n(c.lost)}, doubled ${n(c.doubled)}: **${c.ok ? 'OK' : 'NOT OK'}**.`,
      );
    }
  }
  if (s.soak) out.push(...renderSoakMarkdown(s.soak));
  if (s.profiles) {
    out.push('', '## Where the hub apps spend CPU (V8 sampling profile, --profile)', '');
    for (const [app, p] of Object.entries(s.profiles)) {
      out.push(
        `**${app}** (${n(p.busySeconds, 1)} s sampled): ${p.byModule.map((m) => `${m.module} ${n(m.percent, 1)}%`).join(', ')}`,
        '',
      );
      out.push(
        `Top functions (self time): ${p.topFunctions.map((f) => `${f.fn} ${n(f.percent, 1)}%`).join('; ')}`,
        '',
      );
    }
  }
  if (s.peakRssMb) {
    out.push('', '## Peak RSS (VmHWM) per process, MB', '', '| Process | MB |', '|---|---|');
    for (const [name, mb] of Object.entries(s.peakRssMb)) out.push(`| ${name} | ${n(mb)} |`);
  }
  if (r.errors.length > 0) {
    out.push('', '## Errors', '');
    for (const e of r.errors) out.push(`- ${e.scenario}: ${e.message}`);
  }
  if (r.notes.length > 0) {
    out.push('', '## Notes', '');
    for (const note of r.notes) out.push(`- ${note}`);
  }
  return out.join('\n') + '\n';
}
