// One jest run covers every folder. @swc/jest strips types only (fast); `npm run typecheck`
// is the type check. Browser tests live in tests/browser and need /usr/bin/chromium.
/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/tests/**/*.test.ts', '<rootDir>/tests/**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022', transform: { react: { runtime: 'classic' } } },
      module: { type: 'commonjs' },
    }],
  },
  testEnvironment: 'node',
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
  testTimeout: 20000,
};
