import { localPath, resolveInfrastructure } from '@hub/devstack';
import { migrate } from '@hub/persistence';
import { HubStack } from './hub-stack';
import { ensureLocalTokens } from './local-tokens';

/** Fixed local ports for `npm start` (tests use others, so both can run at once). */
const PORTS = {
  kafka: 9092,
  postgres: 5433,
  console: 3000,
  ingest: 3001,
  router: 3002,
  auditWriter: 3003,
  delivery: 3004,
  ssc: 3100,
};

/**
 * `npm start`: brings up Kafka and Postgres (or uses KAFKA_BROKERS / DATABASE_URL), migrates, runs every
 * hub app as its own process plus the demo partnership, prints where to look, and on Ctrl-C / SIGTERM
 * stops everything it started. `npm run stack`: only the infrastructure, for running apps by hand.
 */
async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'start';
  // `npm run stack` can run beside `npm start` and tests on its own ports and data folders.
  const infra = await resolveInfrastructure({
    purpose: 'start',
    name: process.env.HUB_STACK_NAME ?? 'dev',
    ports: {
      kafka: Number(process.env.HUB_STACK_KAFKA_PORT ?? PORTS.kafka),
      postgres: Number(process.env.HUB_STACK_PG_PORT ?? PORTS.postgres),
    },
  });
  // Assigned once the apps start; the signal handler above may run before that.
  let stack: HubStack | undefined = undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the hub...`);
    await stack?.stop().catch((e: unknown) => console.error(e));
    await infra.stop().catch((e: unknown) => console.error(e));
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const schema = 'hub';
  const applied = await migrate(infra.databaseUrl, schema);
  console.log(applied.length ? `migrated: ${applied.join(', ')}` : 'database schema is up to date');
  const tokensFile = localPath('tokens.json');
  const tokens = ensureLocalTokens(tokensFile);

  if (mode === 'stack') {
    console.log(`\nKafka and PostgreSQL are up. For apps you run by hand:\n`);
    console.log(`  export KAFKA_BROKERS=${infra.brokers.join(',')}`);
    console.log(`  export DATABASE_URL=${infra.databaseUrl}`);
    console.log(`  export HUB_TOKENS_FILE=${tokensFile}\n\nCtrl-C stops them.`);
    return;
  }

  stack = new HubStack({
    brokers: infra.brokers,
    databaseUrl: infra.databaseUrl,
    namespace: '',
    schema,
    tokensFile,
    logDir: localPath('logs'),
    // The SSC simulator before the delivery worker: config/routing.json's webhook posts to it on PORTS.ssc.
    apps: ['audit-writer', 'ingest', 'router', 'ssc-simulator', 'delivery', 'console', 'demo-publisher'],
    ports: {
      console: PORTS.console,
      ingest: PORTS.ingest,
      router: PORTS.router,
      'audit-writer': PORTS.auditWriter,
      delivery: PORTS.delivery,
      'ssc-simulator': PORTS.ssc,
    },
    // The demo publisher uploads file exports (Warwickshire's CSVs) through the console's files API.
    appEnv: {
      'demo-publisher': { HUB_CONSOLE_URL: `http://127.0.0.1:${PORTS.console}` },
      console: { HUB_DELIVERY_URL: `http://127.0.0.1:${PORTS.delivery}` },
    },
    // One line per record arriving at the simulated SSC (identifiers only): the demo's visible end.
    echo: ['ssc-simulator'],
  });
  console.log('starting the hub apps...');
  await stack.start();
  const consoleUrl = stack.url('console');
  console.log(`
=====================================================================
 Council integration hub is running (demo partnership: Coventry, Solihull, Warwickshire)

 Dashboard:      ${consoleUrl}/
 API docs:       ${consoleUrl}/api/docs
 Metrics:        ${consoleUrl}/metrics
 SSC simulator:  ${stack.url('ssc-simulator')}/ssc/received  (webhook deliveries; POST /ssc/control to make it fail)
 Kafka:          ${infra.brokers.join(',')}
 PostgreSQL:     ${infra.databaseUrl}
 App logs:       ${localPath('logs')}

 Local tokens (Authorization: Bearer <token>):
${tokens.map((t) => `   ${t.roles.join(',').padEnd(22)} ${t.token}`).join('\n')}

 Try:  curl -H "Authorization: Bearer ${tokens.find((t) => t.roles.includes('auditor'))!.token}" ${consoleUrl}/api/audit/events?limit=5
 Ctrl-C stops everything.
=====================================================================`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
