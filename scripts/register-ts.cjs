// Runs TypeScript sources without a build, for in-process measurements (bench/src/*.main.ts scripts that need
// neither Kafka nor Postgres): @swc/core transpiles each .ts file as it is required, with the same settings as
// jest.config.js, and the @hub/* aliases of tsconfig.json resolve to libs/*/src.
//   node -r ./scripts/register-ts.cjs bench/src/parse-cost.main.ts
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');
const tsConfigPaths = require('tsconfig-paths');

const root = path.join(__dirname, '..');
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...swcOptions, filename });
  module._compile(code, filename);
};

const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
tsConfigPaths.register({ baseUrl: root, paths: compilerOptions.paths });
