import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import { parseInput } from '../../validation/parse';
import { previewBody, testMailBody } from './validators';
import { previewTemplate, sendTemplateTest } from './service';

/** POST /helpdesk-admin/templates/preview `{ data: { key, subject, body } }`: the mail for the sample ticket; sends nothing. */
export async function postPreview(ctx: AdminContext): Promise<void> {
  const { data } = parseInput(previewBody, (ctx.request as { body?: unknown }).body);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: previewTemplate(data) };
}

/** POST /helpdesk-admin/templates/test-mail `{ data: { key, subject, body, requestId } }`: one mail to the signed-in admin, through the outbox. */
export async function postTestMail(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  const { data } = parseInput(testMailBody, (ctx.request as { body?: unknown }).body);
  ctx.status = 202;
  ctx.body = { data: await sendTemplateTest(strapi, ctx.state.user, data) };
}
