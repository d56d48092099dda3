import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { OUTBOUND_EMAIL } from '../../../../shared/uids';
import { renderTemplate } from '../../mail/render-template';
import { mailDomain } from '../../mail/message-id';
import { isTemplateKey, sampleVariables, type TemplateDraft, type TemplatePreview, type TemplateTestMailResult } from '../../../../shared/template-catalog';
import { createRateLimitStore, type RateLimitStore } from '../../db/rate-limit-store';
import { isUniqueViolation } from '../../db/errors';
import type { AdminUser } from '../admin-route';
import { getService } from '../../get-service';

/** Test mails one admin may send per window: enough to try a few edits, not a mail cannon. */
export const TEST_MAILS_PER_WINDOW = 10;
export const TEST_MAIL_WINDOW_MS = 10 * 60_000;

/** The mail a draft makes for the sample ticket; nothing is stored or sent. A key the helpdesk does not send is a 400. */
export function previewTemplate(draft: TemplateDraft): TemplatePreview {
  if (!isTemplateKey(draft.key)) {
    throw new errors.ValidationError(`${draft.key} is not a template the helpdesk sends`, { errors: [{ path: ['key'], message: 'not a template the helpdesk sends', name: 'ValidationError' }] });
  }
  const { subject, html, text, unknown } = renderTemplate(draft, sampleVariables(draft.key));
  return { subject, html, text, unknown };
}

const limiters = new WeakMap<Core.Strapi, RateLimitStore>();
const limiter = (strapi: Core.Strapi): RateLimitStore => {
  let store = limiters.get(strapi);
  if (!store) limiters.set(strapi, (store = createRateLimitStore(strapi, TEST_MAIL_WINDOW_MS)));
  return store;
};

/**
 * "Send me a test": the draft rendered for the sample ticket, through the outbox, to the signed-in
 * admin only. One mail per requestId (its Message-ID is unique), at most TEST_MAILS_PER_WINDOW per
 * admin per window (429 after that).
 */
export async function sendTemplateTest(strapi: Core.Strapi, admin: AdminUser, draft: TemplateDraft & { requestId: string }): Promise<TemplateTestMailResult> {
  const preview = previewTemplate(draft);
  const subject = `[Test] ${preview.subject}`;
  const messageId = `<template-test-${draft.requestId}@${mailDomain(strapi)}>`;
  const already = await strapi.db.query(OUTBOUND_EMAIL).findOne({ where: { messageId }, select: ['id'] });
  if (already) return { to: admin.email, subject, suppressed: null };
  const { hits } = await limiter(strapi).hit(`template-test:${admin.id}`);
  if (hits > TEST_MAILS_PER_WINDOW) {
    throw new errors.RateLimitError(`At most ${TEST_MAILS_PER_WINDOW} test mails in ${TEST_MAIL_WINDOW_MS / 60_000} minutes; please wait a little`);
  }
  try {
    const { suppressed } = await getService(strapi, 'outbox').enqueue({
      to: admin.email,
      subject,
      text: preview.text,
      html: preview.html,
      messageId,
      headers: { 'X-Helpdesk-Template-Test': draft.key },
      templateKey: `test:${draft.key}`,
    });
    return { to: admin.email, subject, suppressed };
  } catch (error) {
    // the same click arrived twice at once: the first one queued it
    if (isUniqueViolation(error)) return { to: admin.email, subject, suppressed: null };
    throw error;
  }
}
