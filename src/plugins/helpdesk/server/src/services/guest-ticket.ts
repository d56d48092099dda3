import type { Core } from '@strapi/strapi';
import { runAs, type Actor } from '../audit/actor';
import { TICKET } from '../../../shared/uids';
import type { GuestTicketInput } from '../validators/guest-ticket';
import { getService } from '../get-service';

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
   * from the ticket's document hooks, as for every other origin. A bot caught by the honeypot gets
   * a decoy receipt of the same shape (the next ticket number, not taken): nothing is stored or
   * mailed, and the answer does not tell it that it was caught.
   */
  async submit(input: GuestTicketInput): Promise<GuestTicketReceipt> {
    const { website, ...fields } = input;
    if (website && website.trim() !== '') {
      return {
        ticketNumber: await getService(strapi, 'ticketNumber').peek(),
        ticketStatus: 'new',
        subject: fields.subject,
        priority: fields.priority,
        createdAt: new Date().toISOString(),
      };
    }

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
