#!/usr/bin/env node
// The two commands of the README, with no dependency but Node itself, so they work on a fresh clone:
//   npm start  -> install, build, start Kafka + Postgres (or use KAFKA_BROKERS / DATABASE_URL), migrate,
//                 run every hub app and the demo partnership, print the dashboard address and tokens
//   npm test   -> install, build (typecheck), lint, unit tests, then integration, e2e and fault tests on a real stack
//   npm run bench -> install, build, run the benchmark (never part of npm test)
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const command = process.argv[2] ?? 'start';
const extra = process.argv.slice(3);

function step(title) {
  console.log(`\n\u25b6 ${title}`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`\n\u2716 ${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Installs from package-lock.json when node_modules is missing or was installed from another lock
 * (stamp = hash of the lock file and patches/). `npm install`, not `npm ci`: npm 11 leaves other platforms' optional
 * binaries (e.g. @swc/core-darwin-arm64) out of the lock file, which `npm ci` then rejects as "missing".
 */
function ensureInstalled() {
  const stamp = join(root, 'node_modules', '.hub-install-stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === installHash()) return;
  step('Installing dependencies (npm install, from package-lock.json; patches/ applied by patch-package)');
  run(npm, ['install', '--no-audit', '--no-fund']);
  writeFileSync(stamp, installHash());
}

/** The lock file and every patch in patches/: a changed patch must be applied again. */
function installHash() {
  const hash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json')));
  const patches = join(root, 'patches');
  if (existsSync(patches)) {
    for (const name of readdirSync(patches).sort()) hash.update(name).update(readFileSync(join(patches, name)));
  }
  return hash.digest('hex');
}

function build() {
  step('Building (TypeScript, strict)');
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
}

function node(script, args = [], options = {}) {
  return [process.execPath, ['-r', join(root, 'scripts/register-paths.cjs'), join(root, 'dist', script), ...args], options];
}

ensureInstalled();

if (command === 'start' || command === 'stack') {
  build();
  const [cmd, args] = node('libs/launcher/src/hub-launcher.main.js', [command, ...extra]);
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  // The launcher owns the JVM, Postgres and the apps; pass signals on and let it stop them.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
} else if (command === 'test') {
  build();
  step('Type-checking tests, linting and checking formatting');
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
  run(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), 'apps', 'libs', 'test', 'bench', '--max-warnings', '0', '--no-error-on-unmatched-pattern']);
  run(process.execPath, [join(root, 'node_modules/prettier/bin/prettier.cjs'), '--check', '--log-level', 'warn', 'apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts']);
  step('Unit tests');
  run(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--selectProjects', 'unit', ...extra]);
  step('Integration, end-to-end and fault tests (real Kafka and PostgreSQL; the fault tests kill and restart them)');
  run(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--selectProjects', 'integration', 'e2e', 'faults', '--runInBand', ...extra]);
} else if (command === 'bench') {
  build();
  const [cmd, args] = node('bench/src/bench.main.js', extra);
  run(cmd, args);
} else {
  console.error(`usage: node scripts/hub.mjs start|test|bench|stack`);
  process.exit(2);
}
