import fs from 'node:fs';
import { DevstackError } from './devstack.error';
import { isAlive } from './process-control';

/** Contents of a lock file: who owns a data folder. */
interface LockOwner {
  readonly pid: number;
  /** Kernel start time of the owner, so a recycled pid is not mistaken for the owner. */
  readonly startTime?: string;
  readonly since: string;
  readonly command: string;
}

const heldLocks = new Set<string>();
let exitHookInstalled = false;

/**
 * Takes ownership of a data folder for this process, so two runs in one checkout (two terminals, or two
 * people's `npm test`) cannot wipe each other's Kafka or Postgres. A lock whose owner is dead is taken
 * over; only then may the caller treat servers found on the folder as orphans and kill them.
 * Returns the release function (also called automatically when this process exits).
 */
export function acquireDataDirLock(lockFile: string, what: string): () => void {
  if (heldLocks.has(lockFile)) {
    throw new DevstackError(
      `${what} is already running in this process (lock ${lockFile}); stop it before starting it again`,
    );
  }
  const owner: LockOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    since: new Date().toISOString(),
    command: process.argv.slice(1).join(' '),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${JSON.stringify(owner, null, 2)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DevstackError(`Cannot create lock file ${lockFile}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (attempt > 0) throwIfHeld(lockFile, what, error); // someone else took it over first
      const current = readOwner(lockFile);
      if (current && ownerAlive(current)) throwIfHeld(lockFile, what, error);
      fs.rmSync(lockFile, { force: true }); // the owner died without cleaning up
    }
  }
  heldLocks.add(lockFile);
  installExitHook();
  return () => releaseLock(lockFile);
}

function throwIfHeld(lockFile: string, what: string, cause: unknown): never {
  const current = readOwner(lockFile);
  const who = current ? `pid ${current.pid} (${current.command}, since ${current.since})` : 'another process';
  throw new DevstackError(
    `${what} is in use by ${who}. Another test run or \`npm start\` in this checkout? Wait for it to finish, stop it, ` +
      `or point this run at it with KAFKA_BROKERS / DATABASE_URL. Lock: ${lockFile}`,
    { cause },
  );
}

function releaseLock(lockFile: string): void {
  if (!heldLocks.delete(lockFile)) return;
  const current = readOwner(lockFile);
  if (current?.pid === process.pid) fs.rmSync(lockFile, { force: true });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lockFile of [...heldLocks]) releaseLock(lockFile);
  });
}

function readOwner(lockFile: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockOwner;
  } catch {
    return undefined; // missing, or half-written by a process killed mid-write: treat as unowned
  }
}

function ownerAlive(owner: LockOwner): boolean {
  if (!isAlive(owner.pid)) return false;
  const startTime = processStartTime(owner.pid);
  return owner.startTime === undefined || startTime === undefined || startTime === owner.startTime;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined without /proc. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name start at field 3 (state); start time is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
