import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@hub/config';
import { AppProcess, HubAppName, HubStack, ensureLocalTokens } from '@hub/launcher';
import { migrate } from '@hub/persistence';
import { TopicNames } from '@hub/platform';
import type { BenchContext } from '../scenarios/bench-context.types';

/** The hub apps a throughput run needs (console and delivery are not on the Kafka-to-SSC path). */
export const PIPELINE_APPS: readonly HubAppName[] = ['audit-writer', 'router', 'ingest'];

/**
 * The hub's apps as separate processes on a namespace and schema of their own (fresh topics, freshly
 * migrated audit tables), started through HubStack as `npm start` and the e2e tests do, and tracked for
 * RSS/CPU sampling and cleanup.
 */
export class BenchHub {
  readonly stack: HubStack;
  readonly topics: TopicNames;
  /** Where app CPU profiles go (with --profile), and which app each pid was. */
  readonly profileDir: string;
  readonly appOfPid = new Map<number, string>();
  private removeCleanup?: () => void;

  private constructor(
    private readonly ctx: BenchContext,
    readonly namespace: string,
    readonly schema: string,
    partitions: number,
    appEnv: Partial<Record<HubAppName, Record<string, string>>>,
  ) {
    this.topics = new TopicNames(namespace);
    const tokensFile = join(ctx.workDir, 'tokens.json');
    ensureLocalTokens(tokensFile);
    this.profileDir = join(ctx.workDir, 'profiles', namespace.replace(/\.$/, ''));
    const profiling: Record<string, string> = {};
    if (ctx.options.profile) {
      mkdirSync(this.profileDir, { recursive: true });
      profiling.NODE_OPTIONS = `--require ${join(repoRoot(), 'dist/bench/src/measure/cpu-profile.preload.js')}`;
      profiling.BENCH_CPU_PROFILE_DIR = this.profileDir;
    }
    this.stack = new HubStack({
      brokers: ctx.infra.brokers,
      databaseUrl: ctx.infra.databaseUrl,
      namespace,
      schema,
      tokensFile,
      logDir: join(ctx.workDir, 'logs', namespace.replace(/\.$/, '')),
      apps: [],
      env: { LOG_LEVEL: 'info', TOPIC_PARTITIONS: String(partitions), ...profiling },
      appEnv,
    });
  }

  /** Makes a namespace + schema (migrated) for a run; starts no app yet. `appEnv`: extra settings per app. */
  static async create(
    ctx: BenchContext,
    tag: string,
    partitions: number,
    appEnv: Partial<Record<HubAppName, Record<string, string>>> = {},
  ): Promise<BenchHub> {
    const namespace = `b${ctx.runId}-${tag}.`;
    const schema = `bench_${ctx.runId}_${tag.replace(/-/g, '_')}`;
    ctx.namespaces.push(namespace);
    ctx.schemas.push(schema);
    await migrate(ctx.infra.databaseUrl, schema);
    const hub = new BenchHub(ctx, namespace, schema, partitions, appEnv);
    hub.removeCleanup = ctx.cleanup.add(
      `hub apps (${namespace})`,
      () => hub.stack.stop(),
      () => {
        for (const p of hub.stack.processes.values()) void p.kill();
      },
    );
    return hub;
  }

  /** Starts one app (or another instance of it) and samples its process as `<name>`. */
  async start(app: HubAppName, instance?: string): Promise<AppProcess> {
    const started = await this.stack.startApp(app, instance);
    const label = instance ? `${app}-${instance}` : app;
    this.ctx.sampler.track(label, () => started.pid);
    if (started.pid !== undefined) this.appOfPid.set(started.pid, label);
    return started;
  }

  /** Running app processes by name. */
  running(): AppProcess[] {
    return [...this.stack.processes.values()].filter((p) => p.pid !== undefined);
  }

  /** Base URLs of the running audit writers (their /metrics), for the audit count poller. */
  readonly auditWriterUrls = (): Array<string | undefined> =>
    this.running()
      .filter((p) => p.options.app === 'audit-writer')
      .map((p) => p.url);

  async stop(): Promise<void> {
    await this.stack.stop();
    this.removeCleanup?.();
  }
}
