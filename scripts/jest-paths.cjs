// Maps the tsconfig "paths" aliases (@hub/...) for jest, so the aliases are declared once, in tsconfig.json.
const path = require('node:path');
const fs = require('node:fs');

function pathsToModuleNameMapper() {
  const text = fs.readFileSync(path.join(__dirname, '..', 'tsconfig.json'), 'utf8');
  const { compilerOptions } = JSON.parse(text);
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
