import type { Core } from '@strapi/strapi';
import { INBOUND_EMAIL, TICKET, UP_USER } from '../uids';
import { AGENT_ROLE_TYPE } from '../access/roles';
import type { Actor } from '../audit/actor';

/** Who a reply's sender is to the ticket it names: only these may write into the conversation. */
export type SenderRole = 'requester' | 'participant' | 'staff' | 'unknown';

interface TicketParties {
  email: string | null;
  contact: { email: string } | null;
}

/**
 * The requester (the ticket's address or its contact's), a participant (an address that was on
 * To/Cc of the ticket's earlier mails), or staff (an agent or admin account). Anybody else
 * becomes an internal note, so that nobody writes into a stranger's ticket by guessing a number.
 */
export async function senderRole(strapi: Core.Strapi, ticketId: number, address: string | undefined): Promise<SenderRole> {
  if (!address) return 'unknown';
  const ticket = (await strapi.db.query(TICKET).findOne({
    where: { id: ticketId },
    select: ['email'],
    populate: { contact: { select: ['email'] } },
  })) as TicketParties | null;
  if (ticket && (ticket.email === address || ticket.contact?.email === address)) return 'requester';

  const agent = await strapi.db.query(UP_USER).findOne({
    where: { email: address, blocked: { $ne: true }, role: { type: AGENT_ROLE_TYPE } },
    select: ['id'],
  });
  const admin = agent ? null : await strapi.db.query('admin::user').findOne({ where: { email: address, isActive: true }, select: ['id'] });
  if (agent || admin) return 'staff';

  const earlier = (await strapi.db.query(INBOUND_EMAIL).findMany({
    where: { ticket: { id: ticketId } },
    select: ['participants'],
  })) as Array<{ participants: unknown }>;
  const participants = earlier.flatMap((mail) => (Array.isArray(mail.participants) ? (mail.participants as string[]) : []));
  return participants.includes(address) ? 'participant' : 'unknown';
}

/** The account behind a staff address, as the actor of what their mail does (history names them). */
export async function staffActor(strapi: Core.Strapi, address: string): Promise<Actor> {
  const agent = (await strapi.db.query(UP_USER).findOne({
    where: { email: address, role: { type: AGENT_ROLE_TYPE } },
    select: ['id', 'username'],
  })) as { id: number; username: string } | null;
  if (agent) return { type: 'agent', id: String(agent.id), name: agent.username || address, userId: agent.id };
  const admin = (await strapi.db.query('admin::user').findOne({ where: { email: address }, select: ['id', 'firstname', 'lastname'] })) as
    | { id: number; firstname: string | null; lastname: string | null }
    | null;
  const name = [admin?.firstname, admin?.lastname].filter(Boolean).join(' ') || address;
  return { type: 'admin', id: admin ? String(admin.id) : null, name };
}
