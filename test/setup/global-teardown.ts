import fs from 'node:fs';
import type { ResolvedInfrastructure } from '../../libs/devstack/src';

/** Set by global-setup.ts in the same (jest main) process. */
const shared = globalThis as typeof globalThis & {
  __HUB_TEST_STACK__?: { infrastructure: ResolvedInfrastructure; file: string };
};

/**
 * Stops what global-setup started (nothing, when the environment supplied KAFKA_BROKERS and DATABASE_URL).
 * Runs once per project like globalSetup; the first call clears the shared state, so later calls do nothing.
 */
export default async function globalTeardown(): Promise<void> {
  const stack = shared.__HUB_TEST_STACK__;
  if (!stack) return;
  shared.__HUB_TEST_STACK__ = undefined;
  await stack.infrastructure.stop();
  try {
    const record = JSON.parse(fs.readFileSync(stack.file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(
      stack.file,
      `${JSON.stringify({ ...record, stoppedAt: new Date().toISOString() }, null, 2)}\n`,
    );
  } catch {
    // the record is informational; a missing file must not fail the run
  }
}
