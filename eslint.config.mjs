import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', 'apps/console/public/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      // Business code never reads process.env: config is typed and validated once in @hub/config.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @hub/config.' }],
    },
  },
  {
    // Entry points and dev tooling read their own environment; business code does not.
    files: ['libs/config/**', 'libs/devstack/**', 'libs/launcher/**', 'libs/testing/**', 'test/**', 'scripts/**', 'bench/**', '**/main.ts', '**/*.main.ts', '**/*.cli.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
