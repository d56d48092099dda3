// Compiles what a Strapi process of this project boots from: the helpdesk plugin (its server and
// admin bundles in src/plugins/helpdesk/dist, built with @strapi/sdk-plugin, skipped while they are
// newer than every source file) and the host app (dist/, Strapi's compileStrapi). Used by the
// tests' global setup, the benches and the CLI.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const APP_DIR = path.resolve(__dirname, '..');
const PLUGIN_DIR = path.join(APP_DIR, 'src', 'plugins', 'helpdesk');
const PLUGIN_SOURCES = ['package.json', 'server/src', 'admin/src', 'shared'];
const PLUGIN_BUNDLES = ['dist/server/index.js', 'dist/admin/index.mjs'];

/** The newest modification time under `entry` (a file or a folder), in ms. */
function newestChange(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stat.mtimeMs);
}

function pluginBundlesAreCurrent() {
  const bundles = PLUGIN_BUNDLES.map((file) => path.join(PLUGIN_DIR, file));
  if (!bundles.every((file) => fs.existsSync(file))) return false;
  const built = Math.min(...bundles.map((file) => fs.statSync(file).mtimeMs));
  return PLUGIN_SOURCES.every((entry) => newestChange(path.join(PLUGIN_DIR, entry)) < built);
}

/** `strapi-plugin build` in the plugin's folder, unless its bundles are newer than its sources. */
function buildHelpdeskPlugin({ force = false } = {}) {
  if (!force && pluginBundlesAreCurrent()) return;
  const cli = path.join(path.dirname(require.resolve('@strapi/sdk-plugin/package.json')), 'bin', 'strapi-plugin.js');
  const result = spawnSync(process.execPath, [cli, 'build', '--silent'], { cwd: PLUGIN_DIR, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building the helpdesk plugin failed (strapi-plugin build exit ${result.status})`);
}

/** Builds the plugin, then compiles the app; resolves to what createStrapi() takes. */
async function compileHelpdesk(options = {}) {
  buildHelpdeskPlugin();
  const { compileStrapi } = require('@strapi/strapi');
  return compileStrapi({ appDir: APP_DIR, ...options });
}

module.exports = { APP_DIR, PLUGIN_DIR, buildHelpdeskPlugin, compileHelpdesk };

