import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Strapi requires the plugin's CommonJS bundle (dist/server/index.js), where __filename is set. The
 * ESM bundle the plugin SDK writes beside it has no __filename: it resolves from the host app.
 */
const thisFile = typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'package.json');

/** Resolves packages as the plugin's own code does (its dependencies may be nested under it). */
export const pluginRequire = createRequire(thisFile);

let root: string | null = null;

/** The plugin's folder: the one above this file whose package.json is the plugin's (source or bundle alike). */
export function pluginRoot(): string {
  if (root) return root;
  for (let dir = path.dirname(thisFile); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { strapi?: { name?: string } }).strapi?.name === 'helpdesk') {
      root = dir;
      return dir;
    }
  }
  throw new Error(`the helpdesk plugin's package.json is not above ${thisFile}`);
}
