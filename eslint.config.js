import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'data/**', 'test/.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'workflow code must not import Node built-ins' },
            {
              group: ['fs', 'path', 'crypto', 'http', 'https', 'child_process', 'os'],
              message: 'workflow code must not import Node built-ins',
            },
            {
              group: ['@aws-sdk/*', 'jira.js', '@elastic/*', 'pino', '../activities/*', '../core/store/*'],
              allowTypeImports: true,
              message: 'workflows call activities; they import activity types only',
            },
          ],
        },
      ],
    },
  },
);
