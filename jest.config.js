/** Jest runs the TypeScript sources through ts-jest; tests mirror src/ under test/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
  },
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  testTimeout: 20000,
};
