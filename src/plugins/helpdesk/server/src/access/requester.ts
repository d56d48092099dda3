import type { Core } from '@strapi/strapi';
import { CONTACT, UP_USER } from '../../../shared/uids';
import { normalizeEmail } from '../domain/ticket-rules';

/** A signed-in customer: an account with the default Authenticated role whose address was confirmed. */
export interface Requester {
  userId: number;
  email: string;
  name: string;
  /** The contact with the account's address; null when they have never opened a ticket. */
  contactId: number | null;
}

interface UserRow {
  id: number;
  email: string;
  username: string;
  confirmed: boolean | null;
  blocked: boolean | null;
  role: { type: string } | null;
}

/**
 * Who the caller is as a requester, or null. The address must be confirmed through the link
 * users-permissions mails (see setup/registration.ts): an account registered with somebody
 * else's address never becomes that person.
 */
export async function requesterOf(strapi: Core.Strapi, userId: number | undefined): Promise<Requester | null> {
  if (userId === undefined) return null;
  const user = (await strapi.db.query(UP_USER).findOne({
    where: { id: userId },
    select: ['id', 'email', 'username', 'confirmed', 'blocked'],
    populate: { role: { select: ['type'] } },
  })) as UserRow | null;
  if (!user || !user.confirmed || user.blocked || user.role?.type !== 'authenticated') return null;
  const email = normalizeEmail(user.email);
  const contact = (await strapi.db.query(CONTACT).findOne({ where: { email }, select: ['id', 'firstName', 'lastName'] })) as {
    id: number;
    firstName: string | null;
    lastName: string | null;
  } | null;
  // staff read the person's name as the helpdesk knows it, not the account's login name
  const fullName = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
  return { userId: user.id, email, name: fullName || user.username, contactId: contact?.id ?? null };
}
