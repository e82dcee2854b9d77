// One jest run covers every folder. esbuild strips types only (fast); `npm run typecheck`
// is the type check. Browser tests live in tests/browser and need /usr/bin/chromium.
/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/tests/**/*.test.ts', '<rootDir>/tests/**/*.test.tsx'],
  transform: { '^.+\\.(t|j)sx?$': '<rootDir>/tests/support/esbuild-jest-transform.js' },
  testEnvironment: 'node',
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
  testTimeout: 20000,
};
