import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { COMMENT, TICKET } from '../../../shared/uids';
import { runAs } from '../audit/actor';
import type { Requester } from '../access/requester';
import type { PortalListQuery } from '../validators/requester-portal';

/** What a requester sees of a ticket: its facts and progress, nothing about staff or internals. */
export const PORTAL_TICKET_FIELDS = [
  'documentId', 'ticketNumber', 'subject', 'description', 'ticketStatus', 'priority', 'category',
  'createdAt', 'updatedAt', 'resolvedAt', 'closedAt',
] as const;
export const PORTAL_COMMENT_FIELDS = ['documentId', 'body', 'authorType', 'authorName', 'createdAt'] as const;

/** Only the listed fields: the query engine adds the numeric id to every row. */
function only<F extends string>(fields: readonly F[], row: Record<string, unknown> | null): Record<F, unknown> | null {
  if (!row) return null;
  return Object.fromEntries(fields.map((field) => [field, row[field] ?? null])) as Record<F, unknown>;
}

/**
 * The requester's window on their own tickets. Every read is scoped to the contact with the
 * account's confirmed address; a ticket that is not theirs is "not found", never "forbidden", so
 * its existence does not leak. Internal comments never leave this service.
 */
const requesterPortal = ({ strapi }: { strapi: Core.Strapi }) => {
  async function ownTicketId(requester: Requester, documentId: string): Promise<number> {
    const ticket =
      requester.contactId === null
        ? null
        : ((await strapi.db.query(TICKET).findOne({
            where: { documentId, contact: { id: requester.contactId } },
            select: ['id'],
          })) as { id: number } | null);
    if (!ticket) throw new errors.NotFoundError('Ticket not found');
    return ticket.id;
  }

  return {
    async listTickets(requester: Requester, { page, pageSize }: PortalListQuery) {
      if (requester.contactId === null) return { results: [], pagination: { page, pageSize, pageCount: 0, total: 0 } };
      const { results, pagination } = await strapi.db.query(TICKET).findPage({
        where: { contact: { id: requester.contactId } },
        select: [...PORTAL_TICKET_FIELDS],
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        page,
        pageSize,
      });
      return { results: results.map((row) => only(PORTAL_TICKET_FIELDS, row)), pagination };
    },

    async getTicket(requester: Requester, documentId: string) {
      const id = await ownTicketId(requester, documentId);
      return only(PORTAL_TICKET_FIELDS, await strapi.db.query(TICKET).findOne({ where: { id }, select: [...PORTAL_TICKET_FIELDS] }));
    },

    async listComments(requester: Requester, documentId: string) {
      const id = await ownTicketId(requester, documentId);
      const rows = await strapi.db.query(COMMENT).findMany({
        where: { ticket: { id }, isInternal: false },
        select: [...PORTAL_COMMENT_FIELDS],
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map((row) => only(PORTAL_COMMENT_FIELDS, row));
    },

    async addComment(requester: Requester, documentId: string, body: string) {
      await ownTicketId(requester, documentId);
      const actor = { type: 'requester' as const, id: requester.email, name: requester.name, userId: requester.userId };
      const created = await runAs(actor, () =>
        strapi.documents(COMMENT).create({
          data: { ticket: documentId, body, isInternal: false, authorContact: requester.contactId, authorType: 'requester', source: 'web' },
        })
      );
      return only(PORTAL_COMMENT_FIELDS, await strapi.db.query(COMMENT).findOne({ where: { id: created.id }, select: [...PORTAL_COMMENT_FIELDS] }));
    },
  };
};

export type RequesterPortalService = ReturnType<typeof requesterPortal>;

export default requesterPortal;
