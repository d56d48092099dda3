import type { Core } from '@strapi/strapi';
import { EMAIL_TEMPLATE, INBOUND_EMAIL, OUTBOUND_EMAIL } from '../uids';
import { currentInboundMail } from './inbound-context';
import { outboxService, settingsService } from '../services';
import type { HelpdeskSettings } from '../api/helpdesk-setting/services/helpdesk-setting';
import { renderTemplate, type TemplateVariables } from './render-template';
import { cachedLookup } from '../db/lookup-cache';
import { newMessageId } from './message-id';
import { queueTeamDigestEntry, type DigestEntry } from './team-digest';
import { agentReplySettings, signedAgentAddress } from './agent-reply-address';

export { newMessageId };

export interface TicketForMail {
  id: number;
  documentId: string;
  ticketNumber: string;
  subject: string;
  description?: string | null;
  ticketStatus: string;
  priority: string;
  category: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  assignee?: { id: number; username: string; email: string } | null;
}

interface StoredTemplate {
  subject: string;
  textBody: string;
  htmlBody: string | null;
  enabled: boolean;
}

/** RFC 3834: a reply to the requester's message is auto-replied; a notification nobody asked for is
 * auto-generated; a person's reply (a staff comment) is not automatic at all. */
type AutoSubmitted = 'auto-replied' | 'auto-generated' | null;

export function ticketVariables(ticket: TicketForMail, settings: HelpdeskSettings): TemplateVariables {
  const base = settings.publicBaseUrl?.replace(/\/+$/, '');
  return {
    guest_name: ticket.firstName ?? '',
    guest_surname: ticket.lastName ?? '',
    requester_email: ticket.email ?? '',
    ticket_number: ticket.ticketNumber,
    subject: ticket.subject,
    description: ticket.description ?? '',
    priority: ticket.priority,
    status: ticket.ticketStatus,
    category: ticket.category,
    company_name: settings.companyName,
    support_address: settings.supportAddress ?? '',
    ticket_url: base ? `${base}/tickets/${ticket.ticketNumber}` : '',
  };
}

/** Replies are matched by the ticket number in the subject: a subject that does not mention it in
 * any form (TKT-2026-00001, [TKT-2026-00001], #TKT-2026-00001) gets it as a `[TKT-…]` prefix. */
export function withTicketTag(subject: string, ticketNumber: string): string {
  const escaped = ticketNumber.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // whole number only: TKT-2026-10000 is not named by "TKT-2026-100001"
  const named = new RegExp(`(?<![\\w-])${escaped}(?!\\d)`, 'i').test(subject);
  return named ? subject : `[${ticketNumber}] ${subject}`;
}

/** How many earlier Message-IDs a References header carries: the first one and the most recent. */
const MAX_REFERENCES = 10;

/**
 * The conversation a mail to the requester continues: every Message-ID the ticket's mails to that
 * address and the requester's own mails (comments ingested from email) have had, oldest first.
 */
async function threadHeaders(strapi: Core.Strapi, ticket: TicketForMail, newTicket: boolean): Promise<Record<string, string>> {
  if (!ticket.email) return {};
  type Sent = Array<{ messageId: string; createdAt: string | Date }>;
  // a ticket created in this very transaction has no mail yet, sent or recorded
  const sent = newTicket
    ? []
    : ((await strapi.db.query(OUTBOUND_EMAIL).findMany({
        where: { ticket: { id: ticket.id }, to: ticket.email },
        select: ['messageId', 'createdAt'],
      })) as Sent);
  const received = newTicket
    ? []
    : ((await strapi.db.query(INBOUND_EMAIL).findMany({
        where: { ticket: { id: ticket.id }, outcome: { $in: ['ticket_created', 'comment_added'] }, fromAddress: ticket.email },
        select: ['messageId', 'createdAt'],
      })) as Sent);
  const inbound = currentInboundMail();
  // the mail being ingested right now has no record yet
  if (inbound && !received.some((mail) => mail.messageId === inbound.messageId)) {
    received.push({ messageId: inbound.messageId, createdAt: new Date() });
  }
  const ids = [...sent, ...received]
    .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime())
    .map((mail) => mail.messageId);
  if (ids.length === 0) return {};
  const references = ids.length > MAX_REFERENCES ? [ids[0], ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
  return { 'In-Reply-To': ids[ids.length - 1], References: references.join(' ') };
}

interface TicketMail {
  key: string;
  to: string;
  ticket: TicketForMail;
  settings: HelpdeskSettings;
  autoSubmitted: AutoSubmitted;
  /** Variables beyond the ticket's own (comment text, old status, ...). */
  extra?: TemplateVariables;
  /** Continue the requester's conversation (In-Reply-To/References). */
  threaded?: boolean;
  /** The ticket was created in the caller's transaction, just now: it has no mail to thread yet. */
  newTicket?: boolean;
  /** Reply-To: where the recipient's answer goes (an agent's signed reply address). */
  replyTo?: string;
}

/**
 * Renders template `key` for a ticket and puts the mail in the outbox (inside the caller's
 * transaction). A missing or disabled template sends nothing; unknown placeholders are logged.
 */
async function queueTicketMail(strapi: Core.Strapi, mail: TicketMail): Promise<void> {
  const { key, to, ticket, settings } = mail;
  const template = await cachedLookup(`email-template:${key}`, () => strapi.db.query(EMAIL_TEMPLATE).findOne({ where: { key } }) as Promise<StoredTemplate | null>);
  if (!template?.enabled) return;
  const rendered = renderTemplate(template, { ...ticketVariables(ticket, settings), ...mail.extra });
  if (rendered.unknown.length > 0) {
    strapi.log.warn(`[mail] template ${key} uses unknown variables: ${rendered.unknown.map((v) => `{${v}}`).join(', ')}`);
  }
  const headers: Record<string, string> = {
    ...(mail.threaded ? await threadHeaders(strapi, ticket, Boolean(mail.newTicket)) : {}),
    'X-Helpdesk-Ticket': ticket.ticketNumber,
  };
  if (mail.replyTo) headers['Reply-To'] = mail.replyTo;
  if (mail.autoSubmitted) {
    headers['Auto-Submitted'] = mail.autoSubmitted;
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  await outboxService(strapi).enqueue({
    to,
    subject: withTicketTag(rendered.subject, ticket.ticketNumber),
    text: rendered.text,
    html: rendered.html,
    messageId: newMessageId(strapi),
    headers,
    templateKey: key,
    ticketId: ticket.id,
  });
}

/**
 * The assignee's notice, with the agent's signed reply address as Reply-To: answering it is how an
 * agent writes to the requester by mail when their domain's mail cannot be verified otherwise.
 */
async function queueAssignmentMail(strapi: Core.Strapi, ticket: TicketForMail, assignee: NonNullable<TicketForMail['assignee']>, settings: HelpdeskSettings) {
  const reply = agentReplySettings(strapi);
  await queueTicketMail(strapi, {
    key: 'assignment_notification',
    to: assignee.email,
    ticket,
    settings,
    autoSubmitted: 'auto-generated',
    extra: { agent_name: assignee.username },
    replyTo: reply ? signedAgentAddress(reply.base, reply.key, assignee.id, assignee.email) : undefined,
  });
}

function digestEntry(ticket: TicketForMail): DigestEntry {
  const name = [ticket.firstName, ticket.lastName].filter(Boolean).join(' ');
  const requester = ticket.email ? (name ? `${name} <${ticket.email}>` : ticket.email) : name || '-';
  return { ticketNumber: ticket.ticketNumber, subject: ticket.subject, requester, priority: ticket.priority };
}

/** Mail for a new ticket, whatever its origin: the requester's confirmation (when auto-reply is on;
 * `auto_reply` in the thread of their mail for a ticket opened by email, and nothing at all when that
 * mail was automatic), the team's notification (when a support address is set), and the assignee's notice. */
export async function queueTicketCreatedMails(strapi: Core.Strapi, ticket: TicketForMail): Promise<void> {
  const settings = await settingsService(strapi).current();
  const inbound = currentInboundMail();
  if (ticket.email && settings.autoReplyEnabled && !inbound?.automatic) {
    await queueTicketMail(strapi, {
      key: inbound ? 'auto_reply' : 'ticket_confirmation',
      to: ticket.email,
      ticket,
      settings,
      autoSubmitted: 'auto-replied',
      threaded: Boolean(inbound),
      newTicket: true,
    });
  }
  if (settings.supportAddress) {
    // the first ticket of a burst is notified at once; later ones in its window wait for one digest
    const digested = await queueTeamDigestEntry(strapi, settings.supportAddress, digestEntry(ticket), {
      company_name: settings.companyName,
      support_address: settings.supportAddress,
    });
    if (!digested) {
      await queueTicketMail(strapi, { key: 'new_ticket_notification', to: settings.supportAddress, ticket, settings, autoSubmitted: 'auto-generated' });
    }
  }
  if (ticket.assignee?.email) await queueAssignmentMail(strapi, ticket, ticket.assignee, settings);
}

/** Mail for a change to a ticket, whatever its origin: the requester hears of the statuses settings
 * name; a new assignee hears of the assignment. */
export async function queueTicketUpdatedMails(
  strapi: Core.Strapi,
  before: TicketForMail,
  after: TicketForMail,
  note: string | null
): Promise<void> {
  const statusChanged = before.ticketStatus !== after.ticketStatus;
  const newAssignee = after.assignee && after.assignee.id !== before.assignee?.id ? after.assignee : null;
  if (!statusChanged && !newAssignee) return;
  const settings = await settingsService(strapi).current();
  if (statusChanged && after.email && (settings.notifyRequesterOnStatus as readonly string[]).includes(after.ticketStatus)) {
    await queueTicketMail(strapi, {
      key: 'status_changed',
      to: after.email,
      ticket: after,
      settings,
      autoSubmitted: 'auto-generated',
      extra: { old_status: before.ticketStatus, note: note ?? '' },
      threaded: true,
    });
  }
  if (newAssignee?.email) await queueAssignmentMail(strapi, after, newAssignee, settings);
}

export interface CommentForMail {
  body: string;
  authorName: string | null;
}

/** A public staff reply goes to the requester, in the ticket's thread. */
export async function queueCommentMail(strapi: Core.Strapi, ticket: TicketForMail, comment: CommentForMail): Promise<void> {
  if (!ticket.email) return;
  const settings = await settingsService(strapi).current();
  await queueTicketMail(strapi, {
    key: 'comment_notification',
    to: ticket.email,
    ticket,
    settings,
    autoSubmitted: null,
    extra: { comment_body: comment.body, comment_author: comment.authorName ?? settings.companyName },
    threaded: true,
  });
}
