import type { Core } from '@strapi/strapi';
import { INBOUND_EMAIL, TICKET } from '../../../shared/uids';
import { isEmailAddress } from '../validation/email-address';
import { runAs } from '../audit/actor';
import { ccList, MAX_CC } from '../domain/cc-list';
import { cachedOwnAddresses, ownAddresses, requesterActor, staffActor, type Sender, type SenderRole } from './sender';
import type { TicketMatch } from './thread';
import type { ParsedMail } from './types';

/**
 * Whose mail adds its To/Cc to a ticket's Cc list: the requester's and verified staff's. Headers prove
 * nothing, so a customer who Cc's anybody chooses so for their own ticket; but a participant's or a
 * stranger's mail must not widen who receives the ticket's replies.
 */
const ADDS_TO_CC: ReadonlySet<SenderRole> = new Set(['requester', 'staff']);

interface TicketPeople {
  email: string | null;
  contact: { email: string } | null;
  ccAddresses: unknown;
}

/** The mail's To/Cc as Cc candidates: without our own addresses (mailbox, its +tags, SMTP_FROM, the team's), the sender and the requester. */
async function mailCc(strapi: Core.Strapi, mail: ParsedMail, requester: Array<string | null | undefined>): Promise<string[]> {
  const isOwn = await cachedOwnAddresses(strapi);
  const skipped = new Set([mail.from?.address, ...requester]);
  return [...mail.to, ...mail.cc].map(({ address }) => address).filter((address) => !isOwn(address) && !skipped.has(address));
}

/**
 * The people a mail from one of the ticket's people names (recorded on its inbound record): its
 * To/Cc without our own addresses and the sender's; none when the sender is one of ours.
 */
export async function mailParticipants(strapi: Core.Strapi, mail: ParsedMail): Promise<string[]> {
  const isOwn = await cachedOwnAddresses(strapi);
  if (!mail.from || isOwn(mail.from.address)) return [];
  return [...new Set(await mailCc(strapi, mail, []))];
}

/** Each address once, in order, at most MAX_CC (a mail's longer list is cut, not refused). */
const capped = (addresses: string[]): string[] => [...new Set(addresses)].slice(0, MAX_CC);

/** The Cc list of a ticket the mail opens: the people on its To/Cc besides us and the sender (the requester). */
export async function ccOfNewTicket(strapi: Core.Strapi, mail: ParsedMail): Promise<string[]> {
  return capped(await mailCc(strapi, mail, []));
}

/**
 * A requester's or verified staff member's mail on a ticket adds the new people on its To/Cc to the
 * ticket's Cc list (nobody is removed by a mail: staff remove people in the ticket view). The change
 * goes through the Document Service, so the ticket hook checks it and history names the sender.
 */
export async function addMailCc(strapi: Core.Strapi, match: TicketMatch, mail: ParsedMail, sender: Sender): Promise<void> {
  if (!ADDS_TO_CC.has(sender.role) || !mail.from) return;
  const ticket = (await strapi.db.query(TICKET).findOne({
    where: { id: match.ticketId },
    select: ['email', 'ccAddresses'],
    populate: { contact: { select: ['email'] } },
  })) as TicketPeople | null;
  if (!ticket) return;
  const current = ccList(ticket.ccAddresses);
  const next = capped([...current, ...(await mailCc(strapi, mail, [ticket.email, ticket.contact?.email]))]);
  if (next.length === current.length) return;
  const actor = sender.role === 'staff' ? await staffActor(strapi, mail.from.address) : requesterActor(mail);
  await runAs(actor, () => strapi.documents(TICKET).update({ documentId: match.documentId, data: { ccAddresses: next } }));
}

/**
 * Upgrade: before the Cc list, a ticket's participants were read from its inbound records (the To/Cc
 * of its people's mails). At boot, a ticket with such records and no Cc list yet gets them as its list
 * (without our own addresses and the requester), so nobody who wrote publicly before loses it. Written
 * without hooks (no history row, no new activity time); a ticket with a list, even an empty one, is done.
 */
export async function backfillCcFromParticipants(strapi: Core.Strapi): Promise<number> {
  const records = (await strapi.db.query(INBOUND_EMAIL).findMany({
    where: {
      ticket: { ccAddresses: { $null: true } },
      $or: [{ outcome: 'ticket_created' }, { outcome: 'comment_added', comment: { isInternal: false } }],
    },
    select: ['participants'],
    populate: { ticket: { select: ['id', 'email'] } },
  })) as Array<{ participants: unknown; ticket: { id: number; email: string | null } | null }>;
  const found = new Map<number, { email: string | null; addresses: string[] }>();
  for (const record of records) {
    if (!record.ticket) continue;
    const entry = found.get(record.ticket.id) ?? { email: record.ticket.email, addresses: [] };
    entry.addresses.push(...ccList(record.participants));
    found.set(record.ticket.id, entry);
  }
  const isOwn = await ownAddresses(strapi);
  for (const [id, { email, addresses }] of found) {
    const ccAddresses = capped(addresses.map((address) => address.toLowerCase()).filter((address) => isEmailAddress(address) && !isOwn(address) && address !== email));
    await strapi.db.query(TICKET).update({ where: { id }, data: { ccAddresses } });
  }
  if (found.size > 0) strapi.log.info(`[cc] ${found.size} tickets got their Cc list from the participants of their mails`);
  return found.size;
}
