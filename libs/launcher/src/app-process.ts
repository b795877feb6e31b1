import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@hub/config';

/** The hub's runnable apps and their compiled entry points. */
export const HUB_APPS = {
  ingest: 'apps/ingest/src/main.js',
  router: 'apps/router/src/main.js',
  delivery: 'apps/delivery/src/main.js',
  'audit-writer': 'apps/audit-writer/src/main.js',
  console: 'apps/console/src/main.js',
  'demo-publisher': 'apps/demo-publisher/src/main.js',
  'ssc-simulator': 'apps/ssc-simulator/src/main.js',
} as const;

export type HubAppName = keyof typeof HUB_APPS;

/**
 * V8 heap flags for the apps that get their own. V8 sizes an app's heap from the machine's memory (a
 * limit of about 4 GB here) and, with that much room, lets the committed heap wander well above what is
 * live. The delivery app spends its time waiting on HTTP destinations, and with V8's defaults its RSS
 * climbed by 8 MB steps whenever a collection resized the heap: +18% and +22% in two 10-minute soaks, while
 * a heap snapshot showed nothing live accumulating (bench/README.md, session 7). With a 256 MB old space
 * alone it still climbed (+22%); with the young generation held at 2 MB per semi-space as well, its heap
 * stayed at 35-42 MB committed and RSS within 10%. The CPU-bound stages keep V8's defaults: with old-space
 * limits of 512 MB (ingest) and 256 MB (router, audit writer) their RSS under load fell by a third, but
 * they spent about 0.2 ms more CPU per record collecting garbage. A limit also turns a leak into a crash
 * that Kafka redelivery recovers from, instead of a process that eats the machine.
 */
export const V8_HEAP: Partial<Record<HubAppName, { maxOldSpaceMb: number; maxSemiSpaceMb: number }>> = {
  delivery: { maxOldSpaceMb: 256, maxSemiSpaceMb: 2 },
};

export interface AppProcessOptions {
  app: HubAppName;
  /** Distinguishes several instances of one app (logs, HUB_INSTANCE_ID). */
  instance?: string;
  env: Record<string, string>;
  /** Folder for the app's log file. */
  logDir: string;
  /** Also echo the app's output to this process's stdout. */
  echo?: boolean;
}

const APP_STARTED = 'app started';

/**
 * One hub app running as its own Node process (as in production), from the compiled output in dist/.
 * Tests and `npm start` use it; fault tests kill and restart it.
 */
export class AppProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  private exitPromise?: Promise<number | null>;
  /** The app's HTTP base URL, known once it has started. */
  url?: string;

  constructor(readonly options: AppProcessOptions) {}

  get name(): string {
    return this.options.instance ? `${this.options.app}-${this.options.instance}` : this.options.app;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  get logFile(): string {
    return join(this.options.logDir, `${this.name}.log`);
  }

  /** Starts the process and resolves with its URL once it reports it has started (or rejects if it exits). */
  async start(timeoutMs = 60_000): Promise<string> {
    mkdirSync(this.options.logDir, { recursive: true });
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const root = repoRoot();
    const child = spawn(
      process.execPath,
      [
        ...v8FlagsFor(this.options.app),
        '-r',
        join(root, 'scripts/register-paths.cjs'),
        join(root, 'dist', HUB_APPS[this.options.app]),
      ],
      {
        cwd: root,
        // kafkajs warns on every producer that its v2 default partitioner changed; we start on v2.
        env: {
          ...process.env,
          KAFKAJS_NO_PARTITIONER_WARNING: '1',
          HUB_INSTANCE_ID: this.name,
          HUB_PARENT_PID: String(process.pid),
          ...this.options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.exitPromise = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let buffer = '';
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not start within ${timeoutMs} ms; see ${this.logFile}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        this.log?.write(chunk);
        if (this.options.echo) process.stdout.write(chunk);
        if (this.url) return;
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.includes(APP_STARTED)) continue;
          try {
            const parsed = JSON.parse(line) as { msg?: string; url?: string };
            if (parsed.msg === APP_STARTED && parsed.url) {
              this.url = parsed.url;
              clearTimeout(timer);
              resolve(parsed.url);
            }
          } catch {
            // not a JSON log line
          }
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => {
        this.log?.write(chunk);
        if (this.options.echo) process.stderr.write(chunk);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!this.url)
          reject(new Error(`${this.name} exited (${code ?? signal}) before starting; see ${this.logFile}`));
      });
    });
  }

  /** Graceful stop: SIGTERM, then SIGKILL after `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 15_000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await this.exitPromise!;
    clearTimeout(timer);
    this.log?.end();
    this.url = undefined;
    return code;
  }

  /** Crash: kill -9. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exitPromise;
    this.log?.end();
    this.url = undefined;
  }
}

/** The V8 flags an app's process starts with. */
export function v8FlagsFor(app: HubAppName): string[] {
  const heap = V8_HEAP[app];
  return heap
    ? [`--max-old-space-size=${heap.maxOldSpaceMb}`, `--max-semi-space-size=${heap.maxSemiSpaceMb}`]
    : [];
}
