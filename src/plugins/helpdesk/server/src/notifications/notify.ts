import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { NOTIFICATION, NOTIFICATION_PREFERENCE, TICKET } from '../../../shared/uids';
import type { NotificationKind, NotificationMail } from '../../../shared/contract';
import { resolveActor } from '../audit/actor';
import { isActiveAgent } from '../access/roles';
import { tableIn } from '../db/table';
import { queueAgentNotificationMail, type TicketForMail } from '../mail/ticket-mail';
import { queueDigestLine } from '../mail/burst-digest';
import { ticketAdminUrl } from '../mail/agent-links';
import { getService } from '../get-service';

/** Who a notification can go to: an agent account (a users-permissions user with the Agent role). */
export interface NotifiedAgent {
  id: number;
  username: string;
  email: string;
  blocked?: boolean | null;
  role?: { type?: string | null } | null;
}

export interface NotificationEvent {
  kind: NotificationKind;
  ticketId: number;
  /** What happened, in one sentence ("Ada Lovelace replied: …"). */
  text: string;
  /** The change it tells of (`comment:12`, `sla:resolution:7:<due>`): with the recipient, its unique key. */
  source: string;
  /** A mention names its agents; otherwise the ticket's assignee is told, or the team address when it has none. */
  recipients?: NotifiedAgent[];
}

/** The team address's notifications are recorded under this recipient (never shown under a bell). */
const TEAM_RECIPIENT = 0;

type TicketWithAssignee = TicketForMail & { assignee: NotifiedAgent | null };

async function loadTicket(strapi: Core.Strapi, id: number): Promise<TicketWithAssignee | null> {
  return (await strapi.db.query(TICKET).findOne({
    where: { id },
    populate: { assignee: { select: ['id', 'username', 'email', 'blocked'], populate: { role: { select: ['type'] } } } },
  })) as TicketWithAssignee | null;
}

/**
 * Records the notification for one recipient, once: the insert is skipped when its key exists (the
 * same change told twice, another instance's reminder run). Only the caller that inserted mails.
 */
async function claim(strapi: Core.Strapi, trx: Knex.Transaction, recipientId: number, event: NotificationEvent, ticket: TicketWithAssignee): Promise<boolean> {
  const now = new Date();
  const rows = (await tableIn(strapi, trx, NOTIFICATION)
    .insert({
      document_id: randomUUID(),
      recipient_id: recipientId,
      kind: event.kind,
      ticket_id: ticket.id,
      ticket_document_id: ticket.documentId,
      ticket_number: ticket.ticketNumber,
      text: event.text.slice(0, 400),
      dedupe_key: `${event.source}:${recipientId}`.slice(0, 200),
      read_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict('dedupe_key')
    .ignore()
    .returning(['id'])) as Array<{ id: number }>;
  return rows.length === 1;
}

/** An agent's mail preference (a digest of bursts unless they chose otherwise). */
export async function mailPreference(strapi: Core.Strapi, agentId: number): Promise<NotificationMail> {
  const row = (await strapi.db.query(NOTIFICATION_PREFERENCE).findOne({ where: { agentId }, select: ['mail'] })) as { mail: NotificationMail } | null;
  return row?.mail ?? 'digest';
}

/** Mails one notification to an agent as they prefer: each one, a burst's first and then one digest, or none. */
async function mailAgent(strapi: Core.Strapi, agent: NotifiedAgent, ticket: TicketWithAssignee, event: NotificationEvent): Promise<void> {
  const preference = await mailPreference(strapi, agent.id);
  if (preference === 'off' || !agent.email) return;
  if (preference === 'digest') {
    const settings = await getService(strapi, 'settings').current();
    const digest = {
      key: `agent:${agent.id}`,
      to: agent.email,
      templateKey: 'agent_notifications_digest',
      variables: { agent_name: agent.username, company_name: settings.companyName },
      listVariables: (lines: string[]) => ({ notification_count: lines.length, notification_list: lines.join('\n') }),
    };
    const line = `${ticket.ticketNumber}  ${event.text}  ${ticketAdminUrl(strapi, ticket.documentId)}`;
    if (await queueDigestLine(strapi, digest, line)) return;
  }
  await queueAgentNotificationMail(strapi, ticket, agent.email, agent.username, event.text);
}

/**
 * Tells the people concerned of a change, in the change's transaction (nothing is told of a change
 * that rolls back): a notification under each one's bell and a mail as they prefer. Nobody is told
 * of their own action. Returns how many were told.
 */
export async function notify(strapi: Core.Strapi, event: NotificationEvent): Promise<number> {
  return strapi.db.transaction(async ({ trx }) => {
    const ticket = await loadTicket(strapi, event.ticketId);
    if (!ticket) return 0;
    const actor = await resolveActor(strapi);
    const assignee = ticket.assignee && isActiveAgent(ticket.assignee) ? ticket.assignee : null;
    if (!event.recipients && !assignee) {
      const settings = await getService(strapi, 'settings').current();
      if (!settings.supportAddress || !(await claim(strapi, trx, TEAM_RECIPIENT, event, ticket))) return 0;
      await queueAgentNotificationMail(strapi, ticket, settings.supportAddress, `${settings.companyName} team`, event.text);
      return 1;
    }
    let told = 0;
    for (const agent of event.recipients ?? (assignee ? [assignee] : [])) {
      if (agent.id === actor.userId) continue;
      if (!(await claim(strapi, trx, agent.id, event, ticket))) continue;
      told += 1;
      await mailAgent(strapi, agent, ticket, event);
    }
    return told;
  });
}

const replyScope = new AsyncLocalStorage<true>();

/** Runs the status move a requester's reply makes: its reply's notification tells of it, not a second one. */
export const asPartOfRequesterReply = <T>(work: () => Promise<T>): Promise<T> => replyScope.run(true, work);
export const inRequesterReply = (): boolean => replyScope.getStore() === true;

const CLOSED = new Set(['resolved', 'closed']);

/** A move that puts a finished ticket back to work. */
export const isReopening = (from: string, to: string): boolean => to === 'reopened' || (CLOSED.has(from) && !CLOSED.has(to));

/** A unique source for a change that has no record id of its own (a status move). */
export const changeSource = (what: string, ticketId: number): string => `${what}:${ticketId}:${randomUUID()}`;
