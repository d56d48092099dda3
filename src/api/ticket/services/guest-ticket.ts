import type { Core } from '@strapi/strapi';
import { runAs, type Actor } from '../../../audit/actor';
import { TICKET } from '../../../uids';
import type { GuestTicketInput } from '../validators/guest-ticket';

/** What a guest learns about the ticket they opened: nothing else about the system. */
export interface GuestTicketReceipt {
  ticketNumber: string;
  ticketStatus: string;
  subject: string;
  priority: string;
  createdAt: string;
}

const guestTickets = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Opens a ticket for a guest. Numbering, the contact, history and the confirmation mail come
   * from the ticket's document hooks, as for every other origin. Returns null for a bot caught
   * by the honeypot: nothing is stored and the caller answers as if all went well.
   */
  async submit(input: GuestTicketInput): Promise<GuestTicketReceipt | null> {
    const { website, ...fields } = input;
    if (website && website.trim() !== '') return null;

    const requester: Actor = { type: 'requester', id: fields.email, name: `${fields.firstName} ${fields.lastName}` };
    const ticket = await runAs(requester, () =>
      strapi.documents(TICKET).create({
        data: { ...fields, isGuest: true, source: 'web', ticketStatus: 'new' },
      })
    );
    return {
      ticketNumber: String(ticket.ticketNumber),
      ticketStatus: String(ticket.ticketStatus),
      subject: String(ticket.subject),
      priority: String(ticket.priority),
      createdAt: new Date(String(ticket.createdAt)).toISOString(),
    };
  },
});

export type GuestTicketService = ReturnType<typeof guestTickets>;

export default guestTickets;
