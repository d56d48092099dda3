/**
 * Tests boot a real Strapi (see tests/helpers/helpdesk.ts), two files at a time (`--maxWorkers=2`,
 * one per core: the SQLite suite took 7.3 instead of 9.7 minutes). Each file has its own database
 * and its own copy of public/ for uploads. Not in band: a worker is replaced once a file leaves it
 * above `workerIdleMemoryLimit`, because what each booted Strapi leaves behind adds up (60 files in
 * one process ran out of heap).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] },
  // ES-module-only packages, handed over from Node's own loader (see the file)
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  testTimeout: 120000,
  workerIdleMemoryLimit: '1GB',
  // Strapi keeps some handles (cron, pools) for a moment after destroy
  forceExit: true,
};
