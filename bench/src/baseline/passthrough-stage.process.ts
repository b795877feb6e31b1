import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@hub/config';
import type { PassthroughStageConfig } from './passthrough-stage.types';

/** What a hop reports when it stops: its committed batches. */
export interface PassthroughStageStats {
  batches: number;
  records: number;
  busyMs: number;
}

/** A baseline hop running as its own Node process (dist/bench/src/baseline/passthrough-stage.main.js). */
export class PassthroughStageProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private output = '';
  /** Set once the process has stopped and reported. */
  stats?: PassthroughStageStats;

  constructor(
    private readonly config: PassthroughStageConfig,
    private readonly workDir: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  /** Starts the process and resolves once its consumer is running. */
  async start(timeoutMs = 60_000): Promise<void> {
    const name = `${this.config.role}-${this.config.mode}`;
    const configFile = join(this.workDir, `${this.config.groupId}-${name}.json`);
    writeFileSync(configFile, JSON.stringify(this.config));
    const root = repoRoot();
    const log = createWriteStream(join(this.workDir, `${this.config.groupId}-${name}.log`));
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(root, 'scripts/register-paths.cjs'),
        join(root, 'dist/bench/src/baseline/passthrough-stage.main.js'),
        configFile,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr!.pipe(log);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`baseline ${name} did not start within ${timeoutMs} ms`)),
        timeoutMs,
      );
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        this.output += chunk.toString('utf8');
        buffer += chunk.toString('utf8');
        if (buffer.includes('"stage ready"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`baseline ${name} exited (${code}) before it was ready; see ${this.workDir}`));
      });
    });
  }

  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    const line = this.output.split('\n').find((l) => l.includes('"stage stats"'));
    if (line) this.stats = JSON.parse(line) as PassthroughStageStats;
  }

  killNow(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
