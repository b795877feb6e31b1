import 'reflect-metadata';
import { loadConfig } from '@hub/config';
import { createLogger, exitOnSignals } from '@hub/platform';
import { startSscSimulator } from './ssc-simulator.app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await startSscSimulator(config);
  exitOnSignals(
    app,
    createLogger('ssc-simulator', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID }),
    { parentPid: config.HUB_PARENT_PID },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
