// Three tiers, told apart by file name (see README "Tests"):
//   *.spec.ts          unit: beside the code, no I/O
//   *.integration.ts   integration: real broker and database (libs/**, apps/**)
//   test/**/*.e2e.ts   end-to-end scenarios named after what a user does
const { pathsToModuleNameMapper } = require('./scripts/jest-paths.cjs');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  rootDir: __dirname,
};

module.exports = {
  // Project-level testTimeout is ignored by jest 30; real-broker tests need minutes, unit tests finish in ms.
  testTimeout: 180000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'],
      setupFiles: ['<rootDir>/test/setup/validator-crosscheck.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.integration.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
    {
      // Real kills of brokers, apps and PostgreSQL, and the hostile-input corpus: part of `npm test`;
      // `npm run test:faults` runs only these.
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.e2e.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
