import 'reflect-metadata';
import { loadConfig } from '@hub/config';
import { createLogger, exitOnSignals } from '@hub/platform';
import { startDemoPublisher } from './demo-publisher.app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await startDemoPublisher(config);
  exitOnSignals(
    app,
    createLogger('demo-publisher', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID }),
    { parentPid: config.HUB_PARENT_PID },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
