import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Client } from 'pg';

/** The machine and software a result was measured on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  kafkajs: string;
  postgres?: string;
  gitCommit: string;
  /** `uptime` at the start and the end of the run: others share this machine. */
  uptimeAtStart: string;
  uptimeAtEnd?: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** What can be known before the run starts. */
export function collectMachineInfo(repoRoot: string): MachineInfo {
  const commit = run('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['-C', repoRoot, 'status', '--porcelain']) !== '';
  return {
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    kafkajs: packageVersion('kafkajs'),
    gitCommit: `${commit}${dirty ? ' (working tree has uncommitted changes)' : ''}`,
    uptimeAtStart: run('uptime', []),
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** Adds the end-of-run load, so a noisy result can be recognised as such. */
export function finishMachineInfo(info: MachineInfo): void {
  info.uptimeAtEnd = run('uptime', []);
  info.loadAverageAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
}

/** `SELECT version()` of the bench database. */
export async function postgresVersion(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; fsync: string; synchronous_commit: string }>(
      `SELECT version(), current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit`,
    );
    const r = rows[0]!;
    return `${r.version.split(' on ')[0]} (fsync=${r.fsync}, synchronous_commit=${r.synchronous_commit})`;
  } finally {
    await client.end();
  }
}
