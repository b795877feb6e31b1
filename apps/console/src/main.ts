import 'reflect-metadata';
import { loadConfig } from '@hub/config';
import { createLogger, exitOnSignals } from '@hub/platform';
import { startConsole } from './console.app';

async function main(): Promise<void> {
  const config = loadConfig(process.env, ['DATABASE_URL', 'HUB_TOKENS_FILE']);
  const app = await startConsole(config);
  exitOnSignals(
    app,
    createLogger('console', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID }),
    { parentPid: config.HUB_PARENT_PID },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
