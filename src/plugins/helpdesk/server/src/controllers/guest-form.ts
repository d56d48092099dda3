import fs from 'node:fs';
import path from 'node:path';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';

/** The plugin's folder: the one above this file whose package.json is the plugin's (source or dist alike). */
function pluginRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { strapi?: { name?: string } }).strapi?.name === 'helpdesk') return dir;
  }
  throw new Error(`the helpdesk plugin's package.json is not above ${__dirname}`);
}

const FORM_DIR = path.join(pluginRoot(), 'public', 'tickets', 'guest');
const ASSETS: Record<string, string> = { 'form.css': 'text/css; charset=utf-8', 'form.js': 'text/javascript; charset=utf-8' };

/** The guest form page (GET /tickets/guest) and its two files: shipped with the plugin, no host files needed. */
export default () => ({
  async page(ctx: Context) {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = fs.createReadStream(path.join(FORM_DIR, 'index.html'));
  },

  async asset(ctx: Context & { params: { file: string } }) {
    const type = ASSETS[ctx.params.file];
    if (!type) throw new errors.NotFoundError('No such file');
    ctx.type = type;
    ctx.body = fs.createReadStream(path.join(FORM_DIR, ctx.params.file));
  },
});
