import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { EMAIL_TEMPLATE } from '../uids';
import { outboxService, settingsService } from '../services';
import type { HelpdeskSettings } from '../api/helpdesk-setting/services/helpdesk-setting';
import { renderTemplate, type TemplateVariables } from './render-template';

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
}

interface StoredTemplate {
  subject: string;
  textBody: string;
  htmlBody: string | null;
  enabled: boolean;
}

/** RFC 3834: a reply to the requester's message is auto-replied; a notification nobody asked for is auto-generated. */
type AutoSubmitted = 'auto-replied' | 'auto-generated';

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

export function newMessageId(strapi: Core.Strapi): string {
  const from = String(strapi.config.get('helpdesk.mail.from', 'support@helpdesk.invalid'));
  const domain = from.split('@')[1]?.replace(/[^a-zA-Z0-9.-]/g, '') || 'helpdesk.invalid';
  return `<${randomUUID()}@${domain}>`;
}

/**
 * Renders template `key` for a ticket and puts the mail in the outbox (inside the caller's
 * transaction). A missing or disabled template sends nothing; unknown placeholders are logged.
 */
async function queueTicketMail(
  strapi: Core.Strapi,
  key: string,
  to: string,
  ticket: TicketForMail,
  settings: HelpdeskSettings,
  autoSubmitted: AutoSubmitted
): Promise<void> {
  const template = (await strapi.db.query(EMAIL_TEMPLATE).findOne({ where: { key } })) as StoredTemplate | null;
  if (!template?.enabled) return;
  const rendered = renderTemplate(template, ticketVariables(ticket, settings));
  if (rendered.unknown.length > 0) {
    strapi.log.warn(`[mail] template ${key} uses unknown variables: ${rendered.unknown.map((v) => `{${v}}`).join(', ')}`);
  }
  await outboxService(strapi).enqueue({
    to,
    subject: withTicketTag(rendered.subject, ticket.ticketNumber),
    text: rendered.text,
    html: rendered.html,
    messageId: newMessageId(strapi),
    headers: { 'Auto-Submitted': autoSubmitted, 'X-Auto-Response-Suppress': 'All', 'X-Helpdesk-Ticket': ticket.ticketNumber },
    templateKey: key,
    ticketId: ticket.id,
  });
}

/** Mail for a new ticket, whatever its origin: the requester's confirmation (when auto-reply is on)
 * and the team's notification (when a support address is set). */
export async function queueTicketCreatedMails(strapi: Core.Strapi, ticket: TicketForMail): Promise<void> {
  const settings = await settingsService(strapi).current();
  if (ticket.email && settings.autoReplyEnabled) {
    await queueTicketMail(strapi, 'ticket_confirmation', ticket.email, ticket, settings, 'auto-replied');
  }
  if (settings.supportAddress) {
    await queueTicketMail(strapi, 'new_ticket_notification', settings.supportAddress, ticket, settings, 'auto-generated');
  }
}
