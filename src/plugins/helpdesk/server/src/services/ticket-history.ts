import { factories } from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { TICKET, TICKET_HISTORY } from '../../../shared/uids';
import type { Actor } from '../audit/actor';
import type { HistoryChange } from '../domain/ticket-rules';

/** Writes history rows. They go through the query engine, not the Document Service, because
 * the Document Service refuses history writes from everyone (see document-hooks/read-only). */
/** A ticket by id, or with its number when the caller has it (nothing to look up then). */
export type HistoryTicket = number | { id: number; ticketNumber: string | null };

export const historyActions = (strapi: Core.Strapi) => ({
  /** Rows on a ticket. Each carries the ticket's number as text, so that the rows of a deleted
   * ticket (whose relation is gone) still say which ticket they were about. */
  async record(ticket: HistoryTicket, actor: Actor, changes: HistoryChange[]): Promise<void> {
    if (changes.length === 0) return;
    const { id, ticketNumber } = typeof ticket === 'number' ? { id: ticket, ticketNumber: await numberOf(strapi, ticket) } : ticket;
    await writeRows(strapi, { ticket: id, ticketNumber }, actor, changes);
  },

  /** Rows on a contact (one per changed field): who changed a requester's details, and from what. */
  async recordContact(contactId: number, actor: Actor, changes: HistoryChange[]): Promise<void> {
    await writeRows(strapi, { contact: contactId }, actor, changes);
  },
});

async function numberOf(strapi: Core.Strapi, ticketId: number): Promise<string | null> {
  const row = (await strapi.db.query(TICKET).findOne({ where: { id: ticketId }, select: ['ticketNumber'] })) as { ticketNumber: string | null } | null;
  return row?.ticketNumber ?? null;
}

async function writeRows(
  strapi: Core.Strapi,
  subject: { ticket?: number; ticketNumber?: string | null; contact?: number },
  actor: Actor,
  changes: HistoryChange[]
): Promise<void> {
  const timestamp = new Date();
  for (const change of changes) {
    await strapi.db.query(TICKET_HISTORY).create({
      data: {
        ...subject,
        action: change.action,
        fieldName: change.fieldName ?? null,
        oldValue: change.oldValue ?? null,
        newValue: change.newValue ?? null,
        note: change.note ?? null,
        actorType: actor.type,
        actorId: actor.id,
        actorName: actor.name,
        timestamp,
      },
      // the query engine reads the row back after the insert: only its id
      select: ['id'],
    });
  }
}

export type HistoryService = ReturnType<typeof historyActions>;

export default factories.createCoreService(TICKET_HISTORY, ({ strapi }) => historyActions(strapi));
