import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { DevstackError } from './devstack.error';

/**
 * True while `pid` names a live process. A zombie counts as dead: in a container whose PID 1 does not reap,
 * a killed orphan from an earlier run can linger as a zombie, and `kill(pid, 0)` alone would wait forever.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user (e.g. the postgres server when we are not root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesised command name, which may itself contain spaces.
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z') return true;
    // A JVM's main thread turns zombie while its other threads are still exiting and still hold its
    // sockets; only a zombie with no threads left is really gone.
    return fs.readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return !fs.existsSync('/proc/self'); // vanished meanwhile on Linux; no /proc (macOS): trust kill(0)
  }
}

/** Sends a signal, ignoring a process that is already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Resolves true once `pid` has exited, false if it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await delay(100);
  }
  return true;
}

/** Sends `signal`, waits up to `timeoutMs`, then SIGKILLs; resolves when the process is gone. */
export async function terminate(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  signalProcess(pid, signal);
  if (await waitForExit(pid, timeoutMs)) return;
  signalProcess(pid, 'SIGKILL');
  await waitForExit(pid, 10_000);
}

/**
 * Processes (other than this one) whose argument list satisfies `matches`. Used to find servers left
 * running by an earlier run that was killed before it could stop them: they are matched by a marker in
 * their own command line, never by a broad name, so nothing else on the machine is touched.
 */
export function findProcesses(matches: (args: string[]) => boolean): number[] {
  const found: number[] = [];
  for (const [pid, args] of listProcesses()) {
    if (pid !== process.pid && matches(args)) found.push(pid);
  }
  return found;
}

function listProcesses(): Array<[number, string[]]> {
  if (fs.existsSync('/proc/self/cmdline')) {
    const result: Array<[number, string[]]> = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const raw = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (raw.length > 0) result.push([Number(entry), raw.replace(/\0$/, '').split('\0')]);
      } catch {
        // exited while we listed, or not ours to read
      }
    }
    return result;
  }
  // macOS and other systems without /proc: arguments joined by spaces, which is enough for our markers.
  const text = execFileSync('ps', ['-axww', '-o', 'pid=,args='], { encoding: 'utf8' });
  return text
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => [Number(m[1]), m[2].split(' ')]);
}

/**
 * Fails fast, naming the port and its purpose, when something already listens on 127.0.0.1:`port`.
 * Without this a broker would die a few seconds into start-up with the reason buried in its log.
 * Retries for `graceMs` first: a server killed a moment ago can hold its port briefly while it exits.
 */
export async function assertPortFree(port: number, purpose: string, graceMs = 5_000): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    try {
      await tryListen(port, purpose);
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await delay(200);
    }
  }
}

function tryListen(port: number, purpose: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new DevstackError(
              `Port ${port} (${purpose}) on 127.0.0.1 is already in use. Stop whatever holds it ` +
                `(see \`ss -ltnp 'sport = :${port}'\`) or choose other ports.`,
            )
          : new DevstackError(`Cannot check port ${port} (${purpose}): ${error.message}`, { cause: error }),
      );
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Promise-based sleep. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `lines` lines of a text file, or '' when it cannot be read; for error messages. */
export function tailFile(file: string, lines = 30): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n')
      .trimEnd();
  } catch {
    return '';
  }
}
