import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Another Strapi 5 app for the helpdesk plugin to be installed into (tests/plugin-install.test.ts):
 * the template in tests/support/host-app copied into a temp folder, given a package.json, the
 * repository's installed packages and then the plugin's tarball through `npm install`.
 */

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..');
const TEMPLATE = path.join(__dirname, 'host-app');
const REPO_MODULES = path.join(REPO, 'node_modules');

/** What a Strapi 5 app made by create-strapi-app depends on, at the versions this repository runs. */
export const HOST_DEPENDENCIES: Record<string, string> = {
  '@strapi/strapi': '5.54.0',
  '@strapi/plugin-users-permissions': '5.54.0',
  '@strapi/provider-email-nodemailer': '5.54.0',
  'better-sqlite3': '12.8.0',
  react: '^18.3.1',
  'react-dom': '^18.3.1',
  'react-router-dom': '^6.28.0',
  'styled-components': '^6.1.13',
};

export const PLUGIN_PACKAGE = 'strapi-plugin-helpdesk';

/** `npm pack` of the plugin folder into `destination`; returns the tarball's path. */
export async function packPlugin(pluginDir: string, destination: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: pluginDir, maxBuffer: 16 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; name: string }>;
  if (packed?.name !== PLUGIN_PACKAGE) throw new Error(`npm pack made ${stdout.slice(0, 200)}`);
  return path.join(destination, packed.filename);
}

/**
 * A folder for the host app. Its node_modules is a hard-linked copy of the repository's, so it must
 * be on the same file system: the system temp folder when it is, else the repository's .tmp.
 */
export function hostAppFolder(): string {
  const sameDevice = fs.statSync(os.tmpdir()).dev === fs.statSync(REPO_MODULES).dev;
  const parent = sameDevice ? os.tmpdir() : path.join(REPO, '.tmp');
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, 'helpdesk-host-app-'));
}

/** Copies the template into `appDir` and writes its package.json (the plugin is not in it yet). */
export function writeHostApp(appDir: string): void {
  fs.cpSync(TEMPLATE, appDir, { recursive: true, filter: (source) => path.basename(source) !== 'README.md' });
  // the local upload provider refuses to start without public/uploads
  fs.mkdirSync(path.join(appDir, 'public', 'uploads'), { recursive: true });
  fs.mkdirSync(path.join(appDir, '.tmp'), { recursive: true });
  const pkg = {
    name: 'plugin-install-host',
    version: '0.0.0',
    private: true,
    description: 'A Strapi 5 app that is not the helpdesk repository',
    dependencies: HOST_DEPENDENCIES,
    engines: { node: '>=20' },
  };
  fs.writeFileSync(path.join(appDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * The app's node_modules as a copy of the repository's (`cp -al`: real folders, files hard-linked,
 * 3 s instead of a full install), so that every package has the app as its real path and Strapi
 * finds an installed plugin from its own folder the way it does in a real install.
 * npm and `strapi build` rewrite a few files at the top of node_modules in place (npm's hidden
 * lockfile, Strapi's dependency hash): those are copied, not linked, so that the repository's stay
 * as they are.
 */
export async function linkRepositoryModules(appDir: string): Promise<void> {
  const modules = path.join(appDir, 'node_modules');
  await run('cp', ['-al', REPO_MODULES, modules]);
  for (const name of fs.readdirSync(modules)) {
    if (!name.startsWith('.') || name === '.bin') continue;
    const target = path.join(modules, name);
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(path.join(REPO_MODULES, name), target, { recursive: true });
  }
}

/**
 * `npm install <tarball>` in the app, offline: every other dependency is already in node_modules,
 * so npm adds the plugin (and would fetch only what is missing, which offline makes an error).
 * Peer dependencies are the app's to provide (its package.json lists them); npm's automatic peer
 * install is left out (--legacy-peer-deps): in this tree, which npm did not lay out itself, it stops
 * with ERESOLVE on the peer @strapi/plugin-users-permissions.
 */
export async function npmInstall(appDir: string, tarball: string): Promise<string> {
  const { stdout, stderr } = await run(
    'npm',
    ['install', tarball, '--offline', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: appDir, maxBuffer: 16 * 1024 * 1024 }
  );
  return `${stdout}${stderr}`;
}

/** `strapi build` in the app (the admin panel into build/), as its owner would run it. */
export function buildAdmin(appDir: string): Promise<string> {
  const cli = path.join(appDir, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'build'], {
      cwd: appDir,
      env: { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`strapi build exited with ${code}:\n${output.slice(-4000)}`))));
  });
}
