// See test/support/jest-transform.js for why node_modules are transformed too.
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.(t|j|mj|cj)s$': '<rootDir>/test/support/jest-transform.js' },
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // One file at a time: files share one PostgreSQL cluster, and its global log hides events while
  // ANY transaction in the cluster is open (the rule that never skips a late commit). Tests that
  // hold transactions open on purpose would otherwise delay readers in other files at random.
  maxWorkers: 1,
  ...require('./test/support/coverage.config'),
};
