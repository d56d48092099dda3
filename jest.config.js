/** Tests boot a real Strapi (see tests/helpers/helpdesk.ts); run them in band. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] },
  // ES-module-only packages, handed over from Node's own loader (see the file)
  moduleNameMapper: { '^email-reply-parser$': '<rootDir>/tests/support/email-reply-parser.js' },
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  testTimeout: 120000,
  // Strapi keeps some handles (cron, pools) for a moment after destroy
  forceExit: true,
};
