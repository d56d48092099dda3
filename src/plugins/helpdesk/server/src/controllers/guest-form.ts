import fs from 'node:fs';
import path from 'node:path';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { pluginRoot } from '../plugin-files';

const formFile = (file: string) => path.join(pluginRoot(), 'guest-form', file);
const ASSETS: Record<string, string> = { 'form.css': 'text/css; charset=utf-8', 'form.js': 'text/javascript; charset=utf-8' };

/** The guest form page (GET /tickets/guest) and its two files: shipped with the plugin, no host files needed. */
export default () => ({
  async page(ctx: Context) {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = fs.createReadStream(formFile('index.html'));
  },

  async asset(ctx: Context & { params: { file: string } }) {
    const type = ASSETS[ctx.params.file];
    if (!type) throw new errors.NotFoundError('No such file');
    ctx.type = type;
    ctx.body = fs.createReadStream(formFile(ctx.params.file));
  },
});
