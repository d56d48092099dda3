import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import { parseInput } from '../../validation/parse';
import { saveSettingsBody, testMailBody } from './validators';
import { mailConfigView, sendTestMail } from './service';
import { checkMailboxNow, mailHealthView } from './mail-health';
import { getService } from '../../get-service';

/** GET /helpdesk-admin/settings: the settings staff edit. */
export async function getSettings(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: await getService(strapi, 'settings').current() };
}

/** PUT /helpdesk-admin/settings `{ data }`: a bad value is a 400 naming the field, and nothing is saved. */
export async function putSettings(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  const { data } = parseInput(saveSettingsBody, (ctx.request as { body?: unknown }).body);
  ctx.body = { data: await getService(strapi, 'settings').save(data) };
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

/** GET /helpdesk-admin/settings/mail/health: the health panel's data. */
export async function getMailHealth(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: await mailHealthView(strapi) };
}

/** Strapi gives every context its error answers (`ctx.conflict`, ...) but does not type them. */
type WithConflict = AdminContext & { conflict(message: string, details?: object): void };

/**
 * POST /helpdesk-admin/settings/mail/check: one check now. 200 when it ran (`ok: false` and the
 * error when it failed); 409 with the reason when it did not: email to ticket is off, a check is
 * already running here, or another instance reads the mailbox.
 */
export async function postMailCheck(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  const result = await checkMailboxNow(strapi);
  if ('reason' in result) {
    (ctx as WithConflict).conflict(result.message, { reason: result.reason, ...result.details });
    return;
  }
  ctx.body = { data: result };
}
