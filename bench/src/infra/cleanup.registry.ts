interface CleanupTask {
  readonly label: string;
  readonly run: () => Promise<void>;
  /** Synchronous last resort from the `exit` event (e.g. SIGKILL a child). */
  readonly killNow?: () => void;
}

const TASK_TIMEOUT_MS = 45_000;

/**
 * Everything the bench started, stopped in reverse order however the run ends: normally, on an error,
 * on Ctrl-C / SIGTERM (orderly, with a time limit per task), and from the `exit` event (synchronous kills).
 */
export class CleanupRegistry {
  private readonly tasks: CleanupTask[] = [];
  private running?: Promise<void>;

  /** Registers a task; returns a function that unregisters it (after the thing was stopped normally). */
  add(label: string, run: () => Promise<void>, killNow?: () => void): () => void {
    const task: CleanupTask = { label, run, killNow };
    this.tasks.push(task);
    return () => {
      const i = this.tasks.indexOf(task);
      if (i >= 0) this.tasks.splice(i, 1);
    };
  }

  /** Runs every task, newest first; failures are logged, never thrown. Safe to call twice. */
  runAll(): Promise<void> {
    this.running ??= (async () => {
      while (this.tasks.length > 0) {
        const task = this.tasks.pop()!;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            task.run(),
            new Promise<void>((_, reject) => {
              timer = setTimeout(
                () => reject(new Error(`timed out after ${TASK_TIMEOUT_MS} ms`)),
                TASK_TIMEOUT_MS,
              );
            }),
          ]);
        } catch (error) {
          console.error(
            `[bench] cleanup "${task.label}" failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          task.killNow?.();
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }

  /** Ctrl-C / SIGTERM: clean up, then exit with the signal's code; a second signal kills what is left. */
  installSignalHandlers(): void {
    let signalled = false;
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      process.on(signal, () => {
        if (signalled) {
          for (const task of this.tasks) task.killNow?.();
          process.exit(code);
        }
        signalled = true;
        console.error(`\n[bench] ${signal}: stopping everything the bench started...`);
        void this.runAll().finally(() => process.exit(code));
      });
    }
    process.on('exit', () => {
      for (const task of this.tasks) task.killNow?.();
    });
  }
}
