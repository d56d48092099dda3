import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { REPLY_DRAFT, TICKET } from '../../../../shared/uids';
import type { ReplyDraftView } from '../../../../shared/contract';
import type { DraftInput } from './validators';

interface DraftRow {
  documentId: string;
  body: string | null;
  isInternal: boolean | null;
  updatedAt: string | Date;
}

const view = (row: DraftRow): ReplyDraftView => ({ body: row.body ?? '', isInternal: row.isInternal === true, savedAt: new Date(row.updatedAt).toISOString() });

/**
 * Reply drafts: one per admin and ticket, read and written by that admin only (their id comes from
 * the session, never from the request). Emptying a draft, or sending the reply, removes it.
 */
export function draftService(strapi: Core.Strapi) {
  const drafts = () => strapi.documents(REPLY_DRAFT);
  const find = (adminUserId: number, ticketDocumentId: string) =>
    drafts().findFirst({ filters: { adminUserId, ticketDocumentId } }) as Promise<DraftRow | null>;

  async function assertTicket(documentId: string): Promise<void> {
    const ticket = await strapi.db.query(TICKET).findOne({ where: { documentId }, select: ['id'] });
    if (!ticket) throw new errors.NotFoundError('No such ticket');
  }

  return {
    async read(adminUserId: number, ticketDocumentId: string): Promise<ReplyDraftView | null> {
      await assertTicket(ticketDocumentId);
      const row = await find(adminUserId, ticketDocumentId);
      return row ? view(row) : null;
    },

    /** Keeps the text (null once it is empty: nothing is kept). */
    async save(adminUserId: number, ticketDocumentId: string, input: DraftInput): Promise<ReplyDraftView | null> {
      await assertTicket(ticketDocumentId);
      return strapi.db.transaction(async () => {
        const existing = await find(adminUserId, ticketDocumentId);
        if (input.body.trim() === '') {
          if (existing) await drafts().delete({ documentId: existing.documentId });
          return null;
        }
        const data = { body: input.body, isInternal: input.isInternal };
        const row = (existing
          ? await drafts().update({ documentId: existing.documentId, data })
          : await drafts().create({ data: { ...data, adminUserId, ticketDocumentId } })) as unknown as DraftRow;
        return view(row);
      });
    },

    async remove(adminUserId: number, ticketDocumentId: string): Promise<void> {
      const existing = await find(adminUserId, ticketDocumentId);
      if (existing) await drafts().delete({ documentId: existing.documentId });
    },
  };
}
