// Resolves the @hub/* aliases (declared once, in tsconfig.json) to the compiled output in dist/.
const path = require('node:path');
const fs = require('node:fs');
const tsConfigPaths = require('tsconfig-paths');

const root = path.join(__dirname, '..');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
tsConfigPaths.register({ baseUrl: path.join(root, 'dist'), paths: compilerOptions.paths });
