// Compiles what a Strapi process of this project boots from: the helpdesk plugin's server
// (src/plugins/helpdesk/dist, incremental: a second run with nothing changed takes a moment) and
// the host app (dist/, Strapi's compileStrapi). Used by the tests' global setup, the benches and the CLI.
const path = require('path');
const { spawnSync } = require('child_process');

const APP_DIR = path.resolve(__dirname, '..');
const PLUGIN_DIR = path.join(APP_DIR, 'src', 'plugins', 'helpdesk');

function buildHelpdeskPlugin() {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(PLUGIN_DIR, 'server', 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building the helpdesk plugin failed (tsc exit ${result.status})`);
}

/** Builds the plugin, then compiles the app; resolves to what createStrapi() takes. */
async function compileHelpdesk(options = {}) {
  buildHelpdeskPlugin();
  const { compileStrapi } = require('@strapi/strapi');
  return compileStrapi({ appDir: APP_DIR, ...options });
}

module.exports = { APP_DIR, PLUGIN_DIR, buildHelpdeskPlugin, compileHelpdesk };

/** A module of the built plugin server, for scripts that call the helpdesk's code directly. */
const helpdeskModule = (...parts) => require(path.join(PLUGIN_DIR, 'dist', 'server', 'src', ...parts));

module.exports.helpdeskModule = helpdeskModule;
