import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { OUTBOUND_EMAIL, TICKET } from '../uids';

/** Our content types with an attribute named `status` (all have draft & publish off). */
const TYPES_WITH_STATUS: readonly string[] = [TICKET, OUTBOUND_EMAIL];
const CONTENT_MANAGER_PATH = /^\/content-manager\/collection-types\/([^/]+)/;

interface Document {
  documentId?: string;
  status?: unknown;
}

const statusFromAdminForm = new AsyncLocalStorage<string>();

/** The ticket status an admin chose in the Content Manager form of the current request, if any. */
export const adminFormStatus = (): string | undefined => statusFromAdminForm.getStore();

/**
 * Strapi 5.54's Content Manager takes a `status` field for the draft/published state, even on
 * content types without draft & publish: it refuses to save any other value ("Invalid status"),
 * drops the field from the edit view and writes "published" into it in the list view. This
 * carries the real field across: the form's value is taken out of the body before the Content
 * Manager sees it and handed to the ticket's document hook (see adminFormStatus), and stored
 * values are put back into its responses.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: { path: string; method: string; body: unknown; request: { body?: unknown } }, next: () => Promise<void>) => {
    const uid = CONTENT_MANAGER_PATH.exec(ctx.path)?.[1];
    if (!uid || !TYPES_WITH_STATUS.includes(uid)) return next();

    const form = ctx.request.body as { status?: unknown } | undefined;
    const chosen = (ctx.method === 'PUT' || ctx.method === 'POST') && typeof form?.status === 'string' ? form.status : undefined;
    if (chosen !== undefined && form) {
      delete form.status;
      await statusFromAdminForm.run(chosen, next);
    } else {
      await next();
    }

    if (!ctx.body || typeof ctx.body !== 'object') return;
    const body = ctx.body as { results?: Document[]; data?: Document };
    const documents = [...(body.results ?? []), ...(body.data ? [body.data] : [])].filter((d) => d?.documentId);
    if (documents.length === 0) return;
    const stored = (await strapi.db.query(uid as typeof TICKET).findMany({
      where: { documentId: { $in: documents.map((d) => d.documentId) } },
      select: ['documentId', 'status'],
    })) as Array<{ documentId: string; status: string }>;
    const statusOf = new Map(stored.map((row) => [row.documentId, row.status]));
    for (const document of documents) {
      if (statusOf.has(document.documentId!)) document.status = statusOf.get(document.documentId!);
    }
  };
