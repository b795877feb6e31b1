import 'reflect-metadata';
import { loadConfig } from '@hub/config';
import { ALL_ENTITIES } from '@hub/domains';
import { Domain, createLogger, exitOnSignals, isDomain } from '@hub/platform';
import { loadRoutingTable } from '@hub/routing';
import { startRouter } from './router.app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const table = loadRoutingTable(config.ROUTES_FILE);
  const app = await startRouter(
    config,
    table,
    ALL_ENTITIES.filter((e) => isDomain(e.domain)).map((e) => ({
      domain: e.domain as Domain,
      entity: e.entity,
    })),
  );
  exitOnSignals(
    app,
    createLogger('router', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID }),
    { parentPid: config.HUB_PARENT_PID },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
