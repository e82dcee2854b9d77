// ESLint 9 flat config: typescript-eslint for all TypeScript, Power Apps rules for code that
// runs inside Dynamics (form scripts, PCF controls), and the layer rule that keeps core/ pure.
import tseslint from 'typescript-eslint';
import powerApps from '@microsoft/eslint-plugin-power-apps';

const nodeBuiltins = ['fs', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'stream', 'url', 'worker_threads', 'zlib'];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'build/**', 'dist/**', '**/out/**', '**/generated/**', 'test-output/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['webresources/**/*.ts', 'pcf-controls/**/*.ts', 'pcf-controls/**/*.tsx'],
    plugins: { '@microsoft/power-apps': powerApps },
    rules: { ...powerApps.configs.paCheckerHosted.rules },
  },
  {
    // ARCHITECTURE.md: core/ is pure domain code. tsconfig already refuses Node and DOM types;
    // this rule also names the offence when someone reaches for another layer or a built-in.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/dataverse/**', '**/plugins/**', '**/webresources/**', '**/pcf-controls/**', '**/solution/**', '**/scripts/**'],
              message: 'core/ may not import other layers (ARCHITECTURE.md).',
            },
            { group: ['node:*', ...nodeBuiltins], message: 'core/ does no I/O: no Node built-ins.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Xrm', 'fetch'],
    },
  },
  {
    files: ['dataverse/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/plugins/**', '**/webresources/**', '**/pcf-controls/**', '**/solution/**', '**/scripts/**'],
              message: 'dataverse/ may import core/ only (ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
