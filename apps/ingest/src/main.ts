import 'reflect-metadata';
import { loadConfig } from '@hub/config';
import { createLogger, exitOnSignals } from '@hub/platform';
import { loadFeedCatalogue } from './feed-catalogue.adapter';
import { startIngest } from './ingest.app';

async function main(): Promise<void> {
  const config = loadConfig(process.env, ['DATABASE_URL']);
  const app = await startIngest(config, loadFeedCatalogue(config.PARTNERSHIP_DIR));
  exitOnSignals(
    app,
    createLogger('ingest', { level: config.LOG_LEVEL, instanceId: config.HUB_INSTANCE_ID }),
    { parentPid: config.HUB_PARENT_PID },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
