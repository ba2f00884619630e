/**
 * Jest runs the TypeScript sources through ts-jest; tests mirror src/ under test/. Each file is only transpiled
 * (tsconfig.test.json: isolatedModules): `npm run lint` type-checks src, test and bench as a whole, in CI before the
 * tests, and checking every test file again in each Jest worker took a minute of the suite's five.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: { warnOnly: false } }],
  },
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  testTimeout: 20000,
  // Most suites wait on sockets, child processes and timers rather than compute: two workers on a 2-core machine take
  // the suite from about 290 s to 165 s (Jest's default is one fewer than the cores).
  maxWorkers: 2,
};
