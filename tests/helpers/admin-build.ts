import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const APP_DIR = path.resolve(__dirname, '..', '..');
const INDEX = path.join(APP_DIR, 'dist', 'build', 'index.html');

/** What the admin bundle is built from: admin code, the config it reads at build time, dependencies. */
const INPUTS = [
  'src/admin',
  'src/plugins/helpdesk/admin',
  'src/plugins/helpdesk/shared',
  'src/plugins/helpdesk/package.json',
  'config/admin.ts',
  'config/server.ts',
  'config/plugins.ts',
  'package.json',
  'package-lock.json',
];

/** Newest modification time under `entry` (a file or a folder), 0 when it does not exist. */
function newestMtime(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/** Why dist/build must be (re)built, or null when it is there and newer than everything it is built from. */
export function adminBuildProblem(): string | null {
  if (!fs.existsSync(INDEX)) return 'dist/build/index.html is missing';
  const built = fs.statSync(INDEX).mtimeMs;
  const stale = INPUTS.filter((input) => newestMtime(path.join(APP_DIR, input)) > built);
  return stale.length > 0 ? `dist/build is older than ${stale.join(', ')}` : null;
}

/**
 * The browser suites drive the built admin panel, which a Strapi booted from dist/ serves from
 * dist/build. compileStrapi() (TypeScript only) leaves dist/build alone, so a build is reused until
 * its inputs change; `strapi develop` removes it, and the next test run builds it again.
 */
export function ensureAdminBuild(): void {
  const problem = adminBuildProblem();
  if (!problem) return;
  const started = Date.now();
  process.stderr.write(`\n[tests] ${problem}: building the admin panel (NODE_ENV=production npm run build, about a minute)\n`);
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: APP_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.error) throw new Error(`could not run npm run build: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status}): the admin panel tests need dist/build`);
  const left = adminBuildProblem();
  if (left) throw new Error(`npm run build finished but ${left}`);
  process.stderr.write(`[tests] admin panel built in ${Math.round((Date.now() - started) / 1000)} s\n`);
}
