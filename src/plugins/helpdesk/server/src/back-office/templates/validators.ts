import { z } from '@strapi/utils';

/** Far above any real template; a body is text in the database, without a limit of its own. */
const MAX_BODY = 100_000;

/** The template as the edit form holds it (saved or not). */
const draft = {
  key: z.string().trim().min(1).max(100),
  subject: z.string().max(300),
  body: z.string().max(MAX_BODY),
};

/** POST /helpdesk-admin/templates/preview: `{ data: { key, subject, body } }`. */
export const previewBody = z.object({ data: z.object(draft).strict() }).strict();

/**
 * POST /helpdesk-admin/templates/test-mail: `{ data: { key, subject, body, requestId } }`. The
 * browser makes one requestId per click: a request repeated with it queues no second mail.
 */
export const testMailBody = z
  .object({ data: z.object({ ...draft, subject: draft.subject.trim().min(1), requestId: z.string().uuid() }).strict() })
  .strict();
