import type { Core } from '@strapi/strapi';
import { INBOUND_EMAIL, OUTBOUND_EMAIL, TICKET } from '../../../shared/uids';
import type { ParsedMail } from './types';
import { claimedRole, type ClaimedRole } from './sender';

/** The ticket a mail continues, and what gave it away. */
export interface TicketMatch {
  ticketId: number;
  documentId: string;
  ticketNumber: string;
  via: 'headers' | 'subject';
  /** The sender's claimed role for the ticket, when a legacy tag needed it (the sender stage reuses it). */
  claimed?: ClaimedRole;
}

const TICKET_TAG = /(?<![\w-])TKT-(\d{4})-(\d{5,})(?!\d)/i;
/**
 * Tags of the product before ticket numbers existed; they name a ticket's id. `#123` is also what
 * order and invoice numbers look like, so a legacy tag counts only when the ticket exists and the
 * sender is one of its people: a stranger's "Order #123" opens a ticket of its own instead of
 * landing as a note on ticket 123.
 */
const LEGACY_TAGS = [/\[TICKET-(\d+)\]/i, /\bTicket\s*#(\d+)\b/i, /(?:^|[\s(\[])#(\d+)\b/];

interface TicketRef {
  id: number;
  documentId: string;
  ticketNumber: string;
}

const TICKET_REF = ['id', 'documentId', 'ticketNumber'];

/** The Message-IDs a mail answers, the direct parent first, then the thread from newest to oldest. */
export function parentMessageIds(mail: ParsedMail): string[] {
  return [...new Set([...mail.inReplyTo, ...[...mail.references].reverse()])].filter((id) => id !== mail.messageId);
}

/** Header threading: every Message-ID we sent (the outbox) or received (inbound records) for a ticket. */
async function matchByHeaders(strapi: Core.Strapi, mail: ParsedMail): Promise<TicketMatch | null> {
  const ids = parentMessageIds(mail);
  if (ids.length === 0) return null;
  const sent = (await strapi.db.query(OUTBOUND_EMAIL).findMany({
    where: { messageId: { $in: ids }, ticket: { id: { $notNull: true } } },
    select: ['messageId'],
    populate: { ticket: { select: TICKET_REF } },
  })) as Array<{ messageId: string; ticket: TicketRef | null }>;
  const received = (await strapi.db.query(INBOUND_EMAIL).findMany({
    where: { messageId: { $in: ids }, ticket: { id: { $notNull: true } } },
    select: ['messageId'],
    populate: { ticket: { select: TICKET_REF } },
  })) as Array<{ messageId: string; ticket: TicketRef | null }>;
  const byId = new Map<string, TicketRef>();
  for (const row of [...sent, ...received]) if (row.ticket) byId.set(row.messageId, row.ticket);
  for (const id of ids) {
    const ticket = byId.get(id);
    if (ticket) return { ticketId: ticket.id, documentId: ticket.documentId, ticketNumber: ticket.ticketNumber, via: 'headers' };
  }
  return null;
}

/** Subject threading: our tag TKT-YYYY-NNNNN in any form, then the legacy tags. */
async function matchBySubject(strapi: Core.Strapi, subject: string, sender: string | undefined): Promise<TicketMatch | null> {
  const tag = TICKET_TAG.exec(subject);
  if (tag) {
    const ticketNumber = `TKT-${tag[1]}-${tag[2]}`;
    const ticket = (await strapi.db.query(TICKET).findOne({ where: { ticketNumber }, select: TICKET_REF })) as TicketRef | null;
    if (ticket) return { ticketId: ticket.id, documentId: ticket.documentId, ticketNumber: ticket.ticketNumber, via: 'subject' };
  }
  for (const pattern of LEGACY_TAGS) {
    const legacy = pattern.exec(subject);
    if (!legacy) continue;
    const id = Number(legacy[1]);
    if (!Number.isSafeInteger(id)) continue;
    const ticket = (await strapi.db.query(TICKET).findOne({ where: { id }, select: TICKET_REF })) as TicketRef | null;
    // a staff address counts before it is verified: the apply stage keeps an unverified one to a note
    if (!ticket) continue;
    const claimed = await claimedRole(strapi, ticket.id, sender);
    if (!['unknown', 'own'].includes(claimed)) return { ticketId: ticket.id, documentId: ticket.documentId, ticketNumber: ticket.ticketNumber, via: 'subject', claimed };
  }
  return null;
}

/** The thread stage: In-Reply-To/References first (they cannot be guessed from outside), then the subject. */
export async function findTicketForMail(strapi: Core.Strapi, mail: ParsedMail): Promise<TicketMatch | null> {
  return (await matchByHeaders(strapi, mail)) ?? (await matchBySubject(strapi, mail.subject, mail.from?.address));
}
