import 'reflect-metadata';
import { loadConfig } from '@hub/config';
import { createLogger, exitOnSignals } from '@hub/platform';
import { loadRoutingTable } from '@hub/routing';
import { startDelivery } from './delivery.app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const table = loadRoutingTable(config.ROUTES_FILE);
  const app = await startDelivery(config, table);
  exitOnSignals(
    app,
    createLogger('delivery', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID }),
    { parentPid: config.HUB_PARENT_PID },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
