import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Pool } from 'pg';
import { repoRoot } from '@hub/config';
import { KAFKA_VERSION } from '@hub/devstack';
import { createKafka } from '@hub/platform';
import { BenchOptions, parseBenchOptions } from './cli/bench-options.parser';
import { BenchInfrastructure, startBenchInfrastructure } from './infra/bench-infrastructure.resolver';
import { BenchTopicsProvisioner } from './infra/bench-topics.provisioner';
import { CleanupRegistry } from './infra/cleanup.registry';
import { collectMachineInfo, finishMachineInfo, postgresVersion } from './infra/machine-info.collector';
import { ProfileSummary, profilesIn, summarizeProfile } from './measure/cpu-profile.summarizer';
import { medianRun } from './measure/repeated-runs';
import { ProcessStatsSampler } from './measure/process-stats.sampler';
import { round } from './measure/throughput-series.builder';
import type { BenchHub } from './hub/bench-hub.launcher';
import type { BenchResults } from './report/bench-results.model';
import { buildResultsTable, renderTextTable } from './report/results-table.builder';
import { writeResults } from './report/results.writer';
import type { BenchContext } from './scenarios/bench-context.types';
import { runBaseline } from './scenarios/baseline.scenario';
import { runHubThroughput } from './scenarios/hub-throughput.scenario';
import { runLatency } from './scenarios/latency.scenario';
import { runLineage } from './scenarios/lineage.scenario';
import { runMappingThroughput } from './scenarios/mapping-throughput.scenario';
import { runScaleOut } from './scenarios/scale-out.scenario';
import { runSoak } from './scenarios/soak.scenario';
import { runStageCost } from './scenarios/stage-cost.scenario';
import { BenchRecordFactory } from './workload/bench-record.factory';
import { loadHubCatalogue } from './workload/hub-catalogue.loader';
import { planRecordMix } from './workload/record-mix.planner';
import { verifyRecordMix } from './workload/record-mix.verifier';

const started = Date.now();
const log = (message: string) =>
  console.log(`[bench +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

/**
 * `npm run bench`: measures the hub against the raw Kafka ceiling on this machine and writes one table
 * (terminal, bench/results/*.json|md, an SVG chart). See bench/README.md.
 */
async function main(): Promise<number> {
  const cleanup = new CleanupRegistry();
  cleanup.installSignalHandlers();
  const root = repoRoot();
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2), join(root, 'bench', 'results'));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const argv = process.argv.slice(2);
  const runId = Date.now().toString(36);
  const workDir = mkdtempSync(join(tmpdir(), `hub-bench-${runId}-`));
  log(`run ${runId}: scenarios ${options.scenarios.join(', ')}; logs in ${workDir}`);

  const catalogue = loadHubCatalogue();
  if (catalogue.problem)
    log(
      `WARNING: the mapping configuration does not load as the apps load it; they will not start:\n${catalogue.problem}`,
    );
  const mix = planRecordMix(catalogue, options);
  await verifyRecordMix(mix, options.mix);
  const factory = new BenchRecordFactory(catalogue, mix, options.seed);
  log(`record mix: ${mix.sources.map((s) => `${s.id} ${(s.weight * 100).toFixed(0)}%`).join(', ')}`);

  const machine = collectMachineInfo(root);
  const results: BenchResults = {
    runId,
    startedAt: new Date(started).toISOString(),
    label: options.label,
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    nodeCommand: `node -r scripts/register-paths.cjs dist/bench/src/bench.main.js ${argv.join(' ')}`.trim(),
    machine,
    versions: { node: process.version, kafka: KAFKA_VERSION, kafkajs: machine.kafkajs },
    infrastructure: { kafka: 'not started', postgres: 'not started' },
    options,
    mix: {
      sources: mix.sources.map((s) => ({
        id: s.id,
        weight: round(s.weight, 4),
        mapping: s.mapping.id,
        generator: s.generator.handWritten ? 'hand-written' : 'synthetic',
        contentType: s.contentType,
      })),
      excluded: mix.excluded,
    },
    scenarios: {},
    series: [],
    table: [],
    errors: [],
    notes: catalogue.problem
      ? [
          `Mapping configuration did not load as the apps load it (a domain half-added): ${catalogue.problem.split('\n')[0]}`,
        ]
      : [],
  };

  const needsInfra = options.scenarios.some((s) => s !== 'mapping');
  let infra: BenchInfrastructure | undefined;
  const sampler = new ProcessStatsSampler();
  sampler.track('bench', () => process.pid);
  const namespaces: string[] = [];
  const schemas: string[] = [];
  let exitCode = 0;
  try {
    let ctx: BenchContext | undefined;
    if (needsInfra) {
      log('starting Kafka and Postgres for the bench...');
      infra = await startBenchInfrastructure(
        { durable: options.durable, keepPostgresData: options.keepLineage },
        cleanup,
      );
      const i = infra;
      results.versions.kafka = i.kafka.version;
      results.versions.postgres = await postgresVersion(i.databaseUrl);
      results.infrastructure = {
        kafka:
          i.kafka.source === 'local'
            ? `local KRaft single node, ${i.brokers.join(',')}`
            : `KAFKA_BROKERS=${i.brokers.join(',')}`,
        postgres:
          i.postgres.source === 'local'
            ? `local embedded, ${i.postgres.durable ? 'durable (fsync on)' : 'NOT durable (fsync off)'}`
            : 'DATABASE_URL',
      };
      sampler.track('kafka', () => i.kafka.pid(), { jvm: true });
      sampler.track('postgres', () => i.postgres.pid(), { includeChildren: true });
      const pool = new Pool({ connectionString: i.databaseUrl, max: 4 });
      // An idle connection that Postgres drops (its shutdown at cleanup) emits 'error': never crash on it.
      pool.on('error', () => undefined);
      cleanup.add('bench database pool', () => pool.end());
      const kafka = createKafka(i.brokers, `bench-${runId}`);
      const topicsAdmin = new BenchTopicsProvisioner(kafka);
      cleanup.add('bench topics and schemas', async () => {
        for (const schema of schemas)
          await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
        // A local broker is wiped on its next start; only an external one needs its topics deleted.
        if (i.kafka.source === 'env') await topicsAdmin.deleteNamespaces(namespaces);
      });
      ctx = {
        options,
        runId,
        workDir,
        infra: i,
        kafka,
        pool,
        catalogue,
        mix,
        factory,
        cleanup,
        sampler,
        topicsAdmin,
        namespaces,
        schemas,
        results,
        log,
      };
    }
    sampler.start(500);
    const full = ctx;
    const c = (): BenchContext => {
      if (!full) throw new Error('this scenario needs Kafka and Postgres');
      return full;
    };

    const attempt = async <T>(scenario: string, run: () => Promise<T>): Promise<T | undefined> => {
      log(`--- ${scenario} ---`);
      try {
        return await run();
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`${scenario} FAILED: ${message}`);
        results.errors.push({ scenario, message: message.split('\n').slice(0, 3).join(' ') });
        exitCode = 1;
        return undefined;
      }
    };

    const want = (s: string) => options.scenarios.includes(s as BenchOptions['scenarios'][number]);
    if (want('mapping'))
      results.scenarios.mapping = await attempt('mapping', () =>
        runMappingThroughput({ options, catalogue, results, log }),
      );
    if (want('stages')) results.scenarios.stages = await attempt('stages', () => runStageCost(c()));
    // --repeat: each throughput scenario runs N times and the median run stands for it (see medianRun).
    const runLabel = (i: number) => (options.repeat > 1 ? ` (run ${i} of ${options.repeat})` : '');
    // A fresh broker JVM is still compiling its hot paths for its first minutes: warm it before measuring.
    if (['baseline', 'hub', 'latency', 'scale-out', 'soak'].some(want)) {
      for (let i = 0; i < options.brokerWarmupRuns; i += 1) {
        const w = await attempt(`broker warm-up ${i + 1} of ${options.brokerWarmupRuns} (not measured)`, () =>
          runBaseline(c(), 'transactional', -i),
        );
        if (w) log(`broker warm-up: ${Math.round(w.recordsPerSecond)} records/s`);
      }
      results.notes.push(
        options.brokerWarmupRuns > 0
          ? `The broker was warmed up first with ${options.brokerWarmupRuns} unmeasured transactional pass-through run(s) of ${options.records.toLocaleString('en-GB')} records (--broker-warmup): a fresh JVM compiles its hot paths during its first minutes.`
          : 'No broker warm-up (--broker-warmup 0): the first scenario ran on a freshly started broker JVM, still compiling its hot paths.',
      );
    }
    if (want('baseline')) {
      const list = [];
      for (const mode of ['plain', 'transactional'] as const) {
        const runs = [];
        for (let i = 1; i <= options.repeat; i += 1) {
          const b = await attempt(`baseline ${mode}${runLabel(i)}`, () => runBaseline(c(), mode, i));
          if (b) runs.push(b);
        }
        if (runs.length > 0) list.push(medianRun(runs));
      }
      results.scenarios.baseline = list;
    }
    let hub: BenchHub | undefined;
    if (want('hub')) {
      const plain = results.scenarios.baseline?.find(
        (b) => b.mode === 'plain' && b.complete,
      )?.recordsPerSecond;
      const transactional = results.scenarios.baseline?.find(
        (b) => b.mode === 'transactional' && b.complete,
      )?.recordsPerSecond;
      const runs = [];
      for (let i = 1; i <= options.repeat; i += 1) {
        // One hub at a time: an idle one still polls Kafka and would slow the next run down.
        await hub?.stop();
        hub = undefined;
        const out = await attempt(`hub${runLabel(i)}`, () =>
          runHubThroughput(c(), { plain, transactional }, i),
        );
        if (!out) continue;
        // The latency scenario reuses the last hub.
        hub = out.hub;
        runs.push(out.result);
      }
      results.scenarios.hub = runs.length > 0 ? medianRun(runs) : undefined;
    }
    if (want('latency')) {
      const out = await attempt('latency', () => runLatency(c(), hub));
      hub = out?.hub ?? hub;
      results.scenarios.latency = out?.result;
    }
    if (hub) {
      await hub.stop();
      if (options.profile) {
        const profiles: Record<string, ProfileSummary> = {};
        for (const file of profilesIn(hub.profileDir)) {
          const pid = Number(basename(file).split('.')[0]);
          profiles[hub.appOfPid.get(pid) ?? String(pid)] = summarizeProfile(file);
        }
        results.scenarios.profiles = profiles;
      }
    }
    if (want('lineage')) results.scenarios.lineage = await attempt('lineage', () => runLineage(c()));
    if (want('scale-out')) results.scenarios.scaleOut = await attempt('scale-out', () => runScaleOut(c()));
    if (want('soak')) results.scenarios.soak = await attempt('soak', () => runSoak(c()));
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`bench FAILED: ${message}`);
    results.errors.push({ scenario: 'bench', message: message.split('\n').slice(0, 3).join(' ') });
    exitCode = 1;
  } finally {
    sampler.stop();
    const peaks: Record<string, number> = {};
    for (const name of sampler.names()) {
      if (name === 'bench' || name === 'postgres') continue;
      const peak = sampler.peakRssMb(name);
      if (peak !== undefined) peaks[name] = round(peak, 0);
    }
    if (Object.keys(peaks).length > 0) results.scenarios.peakRssMb = peaks;
    results.notes.push(
      'Numbers are from a shared 2-core machine; compare the load averages above before comparing runs.',
      'Postgres peak RSS is not reported (its shared buffers are counted once per backend); its CPU is in the per-process tables.',
      'Audited rows are followed through the audit writer\'s own counter (hub_audit_events_written_total{stage="delivered"}, counted after each commit) and confirmed in Postgres once the target is reached, so the bench does not load the database it measures.',
    );
    // Results first, so a failing cleanup cannot lose them.
    finishMachineInfo(machine);
    results.finishedAt = new Date().toISOString();
    results.durationSeconds = round((Date.now() - started) / 1000, 0);
    results.table = buildResultsTable(results);
    const written = writeResults(
      results,
      options.resultsDir,
      options.updateReadme ? join(root, 'bench', 'README.md') : undefined,
    );
    log('stopping everything the bench started...');
    await cleanup.runAll();
    console.log(`\n${renderTextTable(results.table)}\n`);
    console.log(`results: ${written.markdown}\n         ${written.json}\n         ${written.svg}`);
    if (results.errors.length > 0)
      console.log(`errors: ${results.errors.map((e) => e.scenario).join(', ')} (see the results file)`);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
