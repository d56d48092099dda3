import type { Core } from '@strapi/strapi';
import { TICKET, UP_USER, ADMIN_USER } from '../../../shared/uids';
import { ccList } from '../domain/cc-list';
import { ACTIVE_AGENT_WHERE } from '../access/roles';
import type { Actor } from '../audit/actor';
import { cachedLookup } from '../db/lookup-cache';
import { agentReplySettings, isSignedAgentAddress } from '../mail/agent-reply-address';
import { mailboxAddresses, readTrustedAuthservId } from './config';
import { verifySender } from './sender-verification';
import type { ParsedMail } from './types';
import { getService } from '../get-service';

/**
 * Who a reply's sender is to the ticket it names: only the requester, participants and verified
 * staff write into the conversation. `own`: our own address (a loop or a spoof); `unverified_staff`:
 * a staff address the mailbox's MTA did not vouch for. Both, like `unknown`, become internal notes.
 */
export type SenderRole = 'requester' | 'participant' | 'staff' | 'unverified_staff' | 'own' | 'unknown';

/** Roles whose mail is part of the conversation (public, and its To/Cc recorded as the mail's participants). */
export const CONVERSATION_ROLES: ReadonlySet<SenderRole> = new Set(['requester', 'participant', 'staff']);

interface TicketParties {
  email: string | null;
  contact: { email: string } | null;
  ccAddresses: unknown;
}

/** `local+tag@domain` → `local@domain`: a plus-addressed variant is the same mailbox. */
const withoutTag = (address: string): string => address.trim().toLowerCase().replace(/^([^@+]*)\+[^@]*@/, '$1@');

/**
 * Our own addresses: SUPPORT_EMAIL, IMAP_USERNAME (when an address), SMTP_FROM and the team's
 * address from the settings, each with its plus-addressed variants. Never a participant, never the
 * requester's side.
 */
export async function ownAddresses(strapi: Core.Strapi): Promise<(address: string) => boolean> {
  const settings = await getService(strapi, 'settings').current();
  const from = String(strapi.config.get('plugin::helpdesk.mail.from', ''));
  const own = new Set([...mailboxAddresses(), from, settings.supportAddress ?? ''].filter((address) => address.includes('@')).map(withoutTag));
  return (address) => own.has(withoutTag(address));
}

/** Our own addresses, read once per lookup scope (an ingestion batch). */
export const cachedOwnAddresses = (strapi: Core.Strapi): Promise<(address: string) => boolean> =>
  cachedLookup('own-addresses', () => ownAddresses(strapi));

/**
 * The addresses of staff accounts (agents not blocked, active admin users): two statements per
 * lookup scope (an ingestion batch) instead of two per mail that names a ticket.
 */
async function staffAddresses(strapi: Core.Strapi): Promise<Set<string>> {
  return cachedLookup('staff-addresses', async () => {
    const agents = (await strapi.db.query(UP_USER).findMany({
      where: ACTIVE_AGENT_WHERE,
      select: ['email'],
    })) as Array<{ email: string | null }>;
    const admins = (await strapi.db.query(ADMIN_USER).findMany({ where: { isActive: true }, select: ['email'] })) as Array<{ email: string | null }>;
    return new Set([...agents, ...admins].flatMap((account) => (account.email ? [account.email] : [])));
  });
}

const staffAccountExists = async (strapi: Core.Strapi, address: string): Promise<boolean> => (await staffAddresses(strapi)).has(address);

export type ClaimedRole = Exclude<SenderRole, 'unverified_staff'>;

/**
 * Who the From address claims to be for a ticket, before any verification: our own address, the
 * requester (the ticket's address or its contact's), a staff account, a participant (an address on
 * the ticket's Cc list, its one source: see mail-ingestion/cc-list.ts), or nobody.
 */
export async function claimedRole(strapi: Core.Strapi, ticketId: number, address: string | undefined): Promise<ClaimedRole> {
  if (!address) return 'unknown';
  const isOwn = await cachedOwnAddresses(strapi);
  if (isOwn(address)) return 'own';
  const ticket = (await strapi.db.query(TICKET).findOne({
    where: { id: ticketId },
    select: ['email', 'ccAddresses'],
    populate: { contact: { select: ['email'] } },
  })) as TicketParties | null;
  if (ticket && (ticket.email === address || ticket.contact?.email === address)) return 'requester';
  if (await staffAccountExists(strapi, address)) return 'staff';
  return ccList(ticket?.ccAddresses).includes(address) ? 'participant' : 'unknown';
}

/** Whether the mail answers the signed reply address we gave the agent whose address is its From. */
async function answersSignedAddress(strapi: Core.Strapi, mail: ParsedMail): Promise<boolean> {
  const settings = agentReplySettings(strapi);
  const from = mail.from?.address;
  if (!settings || !from) return false;
  const agent = (await strapi.db.query(UP_USER).findOne({
    where: { ...ACTIVE_AGENT_WHERE, email: from },
    select: ['id', 'email'],
  })) as { id: number; email: string } | null;
  if (!agent) return false;
  return [...mail.to, ...mail.cc].some(({ address }) => isSignedAgentAddress(address, settings.base, settings.key, agent.id, agent.email));
}

export interface Sender {
  role: SenderRole;
  /** Why staff counts as verified or not (for the note and the log); null for other roles. */
  verification: string | null;
}

/**
 * The sender's role for a ticket. A staff address counts as staff only when verified: the trusted
 * MTA's Authentication-Results vouch for it (sender-verification.ts), or the mail answers the signed
 * reply address the helpdesk gave that agent. Otherwise anybody could write as staff, and have it
 * mailed to the requester from our address, by putting an agent's address in From. `knownClaim`:
 * the claimed role the thread stage already looked up for this ticket and address.
 */
export async function senderOf(strapi: Core.Strapi, ticketId: number, mail: ParsedMail, knownClaim?: ClaimedRole): Promise<Sender> {
  const claimed = knownClaim ?? (await claimedRole(strapi, ticketId, mail.from?.address));
  if (claimed !== 'staff') return { role: claimed, verification: null };
  // an address found elsewhere than in From's own address (from-address.ts) vouches for nobody
  if (mail.fromSource !== 'from') return { role: 'unverified_staff', verification: `the address came from ${mail.fromSource ?? 'nowhere'}, not From` };
  const verdict = verifySender(mail.authenticationResults, readTrustedAuthservId(), mail.from?.address);
  if (verdict.verified) return { role: 'staff', verification: verdict.reason };
  if (await answersSignedAddress(strapi, mail)) return { role: 'staff', verification: 'reply to the agent\u2019s signed reply address' };
  return { role: 'unverified_staff', verification: verdict.reason };
}

/** The requester's side as the actor of what their mail does (a participant's mail too). */
export function requesterActor(mail: ParsedMail): Actor {
  const address = mail.from?.address ?? 'unknown';
  return { type: 'requester', id: address, name: mail.from?.name || address };
}

/** The account behind a staff address, as the actor of what their mail does (history names them). */
export async function staffActor(strapi: Core.Strapi, address: string): Promise<Actor> {
  const agent = (await strapi.db.query(UP_USER).findOne({
    where: { ...ACTIVE_AGENT_WHERE, email: address },
    select: ['id', 'username'],
  })) as { id: number; username: string } | null;
  if (agent) return { type: 'agent', id: String(agent.id), name: agent.username || address, userId: agent.id };
  const admin = (await strapi.db.query(ADMIN_USER).findOne({ where: { email: address }, select: ['id', 'firstname', 'lastname'] })) as
    | { id: number; firstname: string | null; lastname: string | null }
    | null;
  const name = [admin?.firstname, admin?.lastname].filter(Boolean).join(' ') || address;
  return { type: 'admin', id: admin ? String(admin.id) : null, name };
}
