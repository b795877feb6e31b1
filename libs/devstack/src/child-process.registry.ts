import os from 'node:os';

/** A server process this Node process started and must not leave behind. */
export interface TrackedProcess {
  /** For the log line printed when a signal arrives. */
  readonly label: string;
  /** Orderly stop, used on SIGINT/SIGTERM/SIGHUP while the event loop still runs. */
  stopGracefully(): Promise<void>;
  /** Synchronous last resort, used from the `exit` event where nothing asynchronous can run. */
  killNow(): void;
}

/** How long a signal-triggered shutdown waits for orderly stops before killing what is left. */
const SIGNAL_SHUTDOWN_TIMEOUT_MS = 20_000;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const tracked = new Set<TrackedProcess>();
let installed = false;
let shuttingDown = false;

/**
 * Registers a started server so it is stopped when this process ends, however it ends (normal exit,
 * Ctrl-C, SIGTERM from CI). Returns the function that unregisters it once it has been stopped normally.
 * A SIGKILL of this process cannot be caught; the launchers find such orphans by their command-line marker
 * on the next start instead.
 */
export function trackProcess(entry: TrackedProcess): () => void {
  install();
  tracked.add(entry);
  return () => {
    tracked.delete(entry);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const entry of tracked) entry.killNow();
  });
  for (const signal of SIGNALS) process.on(signal, () => void onSignal(signal));
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  const exitCode = 128 + (os.constants.signals[signal] ?? 0);
  if (shuttingDown) {
    // A second Ctrl-C means "now": kill what is left without waiting.
    for (const entry of tracked) entry.killNow();
    process.exit(exitCode);
  }
  shuttingDown = true;
  const entries = [...tracked];
  if (entries.length > 0) {
    console.log(`[devstack] ${signal}: stopping ${entries.map((e) => e.label).join(', ')}`);
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(entries.map((e) => e.stopGracefully())),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, SIGNAL_SHUTDOWN_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  for (const entry of tracked) entry.killNow();
  // Listening to a signal disables Node's default "exit on signal". Exit ourselves only when nobody else
  // (a Nest app's shutdown hooks, jest) listens too, so we never cut their own shutdown short.
  if (process.listenerCount(signal) <= 1) {
    process.exit(exitCode);
  }
}
