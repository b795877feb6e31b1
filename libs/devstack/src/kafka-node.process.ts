import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { DevstackError } from './devstack.error';
import { KafkaDistribution } from './kafka-distribution.fetcher';
import { KafkaNodeLayout } from './kafka-server-properties.renderer';
import { signalProcess, tailFile, waitForExit } from './process-control';
import { trackProcess } from './child-process.registry';

/**
 * JVM system property put on every broker's command line. It does nothing inside Kafka; it lets the next
 * start find (by data directory) a broker that a killed earlier run left behind, without matching on a
 * broad name like "kafka".
 */
export const KAFKA_NODE_MARKER_PROPERTY = 'hub.devstack.kafka.node';

/** Files and settings of one node, fixed for the node's lifetime (restarts reuse them). */
export interface KafkaNodeSpec {
  readonly layout: KafkaNodeLayout;
  /** Node folder: server.properties and the `logs` data directory live here. */
  readonly nodeDir: string;
  readonly propertiesFile: string;
  /** The JVM's stdout and stderr, appended across restarts. */
  readonly logFile: string;
  readonly heapMaxMb: number;
}

/** How the JVM ended, once it has. */
export interface KafkaNodeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

/**
 * One broker JVM (`java -cp '<libs>/*' kafka.Kafka server.properties`), startable again after it stops.
 * Output goes to a file rather than a pipe so the broker never blocks on a full pipe and keeps logging
 * if this Node process dies first.
 */
export class KafkaNodeProcess {
  private child: ChildProcess | undefined;
  private exitInfo: KafkaNodeExit | undefined;
  private exitPromise: Promise<KafkaNodeExit> = Promise.resolve({ code: null, signal: null });
  private untrack: (() => void) | undefined;
  private paused = false;

  constructor(
    readonly spec: KafkaNodeSpec,
    private readonly distribution: KafkaDistribution,
  ) {}

  get id(): number {
    return this.spec.layout.id;
  }

  /** The JVM's pid while it runs (including while paused), else undefined. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** Set once the JVM has exited (crash, kill or stop); cleared by the next {@link start}. */
  get exited(): KafkaNodeExit | undefined {
    return this.exitInfo;
  }

  /** Spawns the JVM; does not wait for it to be ready (see kafka-readiness.probe.ts). */
  start(): void {
    if (this.running)
      throw new DevstackError(`Kafka node ${this.id} is already running (pid ${this.child?.pid})`);
    fs.appendFileSync(
      this.spec.logFile,
      `\n===== devstack: starting Kafka node ${this.id} at ${new Date().toISOString()} =====\n`,
    );
    const out = fs.openSync(this.spec.logFile, 'a');
    const args = [
      '-Xms256m',
      `-Xmx${this.spec.heapMaxMb}m`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${this.distribution.log4jConfig}`,
      `-Dkafka.logs.dir=${this.spec.nodeDir}`,
      `-D${KAFKA_NODE_MARKER_PROPERTY}=${this.spec.nodeDir}`,
      '-cp',
      this.distribution.classpath,
      'kafka.Kafka',
      this.spec.propertiesFile,
    ];
    let child: ChildProcess;
    try {
      // detached: false keeps the JVM in our process group, so a terminal's Ctrl-C reaches it too.
      child = spawn('java', args, { detached: false, stdio: ['ignore', out, out] });
    } finally {
      fs.closeSync(out); // the child holds its own copy of the descriptor
    }
    this.child = child;
    this.exitInfo = undefined;
    this.paused = false;
    this.exitPromise = new Promise((resolve) => {
      const finish = (info: KafkaNodeExit): void => {
        if (this.child !== child || this.exitInfo !== undefined) return;
        this.exitInfo = info;
        this.untrack?.();
        this.untrack = undefined;
        resolve(info);
      };
      child.once('exit', (code, signal) => finish({ code, signal }));
      child.once('error', (error: NodeJS.ErrnoException) =>
        finish({
          code: null,
          signal: null,
          error:
            error.code === 'ENOENT'
              ? new DevstackError(
                  '`java` was not found on PATH; the local Kafka needs a JDK 17+ (e.g. `apt-get install openjdk-17-jre-headless`)',
                  { cause: error },
                )
              : error,
        }),
      );
    });
    this.untrack = trackProcess({
      label: `Kafka node ${this.id}`,
      stopGracefully: () => this.stop(15_000),
      // From the `exit` event nothing can wait, and a broker told to shut down could hang on its peers.
      killNow: () => this.kill('SIGKILL'),
    });
  }

  /** Sends a signal to the running JVM (no-op when stopped). SIGSTOP/SIGCONT are tracked as pause state. */
  kill(signal: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid === undefined) return;
    signalProcess(pid, signal);
    if (signal === 'SIGSTOP') this.paused = true;
    if (signal === 'SIGCONT') this.paused = false;
  }

  /** Resolves when the current JVM has exited. */
  waitForExit(): Promise<KafkaNodeExit> {
    return this.exitPromise;
  }

  /**
   * Orderly shutdown: SIGTERM (Kafka's shutdown hook closes logs cleanly), then SIGKILL after `timeoutMs`.
   * A paused JVM is resumed first, or it could not act on SIGTERM.
   */
  async stop(timeoutMs: number): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    if (this.paused) this.kill('SIGCONT');
    this.kill('SIGTERM');
    if (!(await waitForExit(pid, timeoutMs))) this.kill('SIGKILL');
    await this.exitPromise;
  }

  /** Why start-up failed, for error messages: exit status plus the end of the broker log. */
  describeFailure(): string {
    const exit = this.exitInfo;
    const status =
      exit === undefined
        ? 'is running but not answering'
        : exit.error
          ? `could not start: ${exit.error.message}`
          : `exited (code ${exit.code}, signal ${exit.signal})`;
    return `Kafka node ${this.id} ${status}. Broker log: ${this.spec.logFile}\n--- last lines ---\n${tailFile(this.spec.logFile, 25)}`;
  }
}
