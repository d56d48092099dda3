import { ensureAdminBuild } from './admin-build';
import { applyTestEnv } from './test-env';
// plain JS shared with the benches and the CLI
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compileHelpdesk } = require('../../scripts/compile') as { compileHelpdesk: () => Promise<unknown> };

/**
 * Compiles the TypeScript project into dist/ once; each test file then boots from dist/.
 * Builds the admin panel into dist/build first when it is missing or stale (see admin-build.ts), so
 * that `npm test` on a clean clone runs the browser suites instead of failing or skipping them; CI
 * builds it in a phase of its own and both of its test runs reuse that build.
 */
export default async function globalSetup(): Promise<void> {
  applyTestEnv();
  const database = process.env.DATABASE_CLIENT ?? 'sqlite';
  if (database === 'postgres' && !process.env.DATABASE_URL) {
    throw new Error('DATABASE_CLIENT=postgres needs DATABASE_URL (a server the tests may create databases on)');
  }
  ensureAdminBuild();
  // the helpdesk plugin's server (its dist), then the host app
  await compileHelpdesk();
}
