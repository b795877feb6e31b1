import fs from 'node:fs';
import path from 'node:path';
// Relative imports: jest's moduleNameMapper (@hub/...) applies to test files, not to global hooks.
import { localPath, resolveInfrastructure, type ResolvedInfrastructure } from '../../libs/devstack/src';

/**
 * Jest runs global setup and teardown in its main process, so a property on globalThis carries the stack
 * from one to the other (test workers cannot see it; they get the environment variables instead).
 * global-teardown.ts declares the same shape.
 */
const shared = globalThis as typeof globalThis & {
  __HUB_TEST_STACK__?: { infrastructure: ResolvedInfrastructure; file: string };
};

/** Test-run ports, distinct from `npm start`'s, so tests can run while the hub is running. */
const TEST_PORTS = { kafka: 9192, postgres: 5434 };

/**
 * Starts (or finds) one broker and one database for the whole test run and hands them to every test
 * worker through KAFKA_BROKERS and DATABASE_URL (workers are forked after this hook and inherit the
 * environment). Jest runs globalSetup once per selected project that lists it (integration and e2e), so a
 * second call in the same run reuses the stack already started.
 */
export default async function globalSetup(): Promise<void> {
  if (shared.__HUB_TEST_STACK__) return;
  const started = Date.now();
  const infrastructure = await resolveInfrastructure({ purpose: 'test', ports: TEST_PORTS });
  process.env.KAFKA_BROKERS = infrastructure.brokers.join(',');
  process.env.DATABASE_URL = infrastructure.databaseUrl;
  // The ingest processes the tests start check every record both ways (test/setup/validator-crosscheck.ts).
  process.env.HUB_VALIDATOR_CROSSCHECK = '1';

  // A record of what this run uses, for people and scripts poking at a run in progress or a failed one.
  const file = localPath('test-stack.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { kafka, postgres } = infrastructure.handles;
  const record = {
    runnerPid: process.pid,
    startedAt: new Date(started).toISOString(),
    startMs: Date.now() - started,
    source: infrastructure.source,
    sources: infrastructure.sources,
    brokers: infrastructure.brokers,
    databaseUrl: infrastructure.databaseUrl,
    kafka: kafka && { version: kafka.version, dataDir: kafka.dataDir, nodes: kafka.nodes },
    postgres: postgres && { dataDir: postgres.dataDir, pid: postgres.pid, logFile: postgres.logFile },
  };
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  shared.__HUB_TEST_STACK__ = { infrastructure, file };
}
