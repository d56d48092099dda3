import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import { parseInput } from '../../validation/parse';
import { settingsService } from '../../services';
import { saveSettingsBody, testMailBody } from './validators';
import { mailConfigView, sendTestMail } from './service';

/** GET /helpdesk-admin/settings: the settings staff edit. */
export async function getSettings(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: await settingsService(strapi).current() };
}

/** PUT /helpdesk-admin/settings `{ data }`: a bad value is a 400 naming the field, and nothing is saved. */
export async function putSettings(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  const { data } = parseInput(saveSettingsBody, (ctx.request as { body?: unknown }).body);
  ctx.body = { data: await settingsService(strapi).save(data) };
}

/** GET /helpdesk-admin/settings/mail: the mail configuration from the environment, secrets masked. */
export async function getMailConfig(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: await mailConfigView(strapi) };
}

/**
 * POST /helpdesk-admin/settings/test-mail `{ data: { to } }`: 200 with the SMTP server's answer,
 * `ok: false` and the error text when the server refused or could not be reached (the check ran;
 * its finding is the answer). A malformed address is a 400.
 */
export async function postTestMail(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  const { data } = parseInput(testMailBody, (ctx.request as { body?: unknown }).body);
  ctx.body = { data: await sendTestMail(strapi, data.to) };
}
