import type { Core } from '@strapi/strapi';
import { EMAIL_TEMPLATE } from '../../../shared/uids';
import { isUniqueViolation } from '../db/errors';
import type { TemplateKey } from '../../../shared/template-catalog';

export interface DefaultTemplate {
  key: TemplateKey;
  subject: string;
  /** HTML with {variables} (see mail/template-catalog.ts); the text part is derived from it. */
  body: string;
}

export const DEFAULT_TEMPLATES: DefaultTemplate[] = [
  {
    key: 'ticket_confirmation',
    subject: '[{ticket_number}] We received your request: {subject}',
    body: [
      '<p>Hello {guest_name} {guest_surname},</p>',
      '<p>thank you for contacting {company_name}. We have received your request and opened ticket <strong>{ticket_number}</strong>.</p>',
      '<table><tr><td>Subject</td><td>{subject}</td></tr><tr><td>Priority</td><td>{priority}</td></tr><tr><td>Status</td><td>{status}</td></tr></table>',
      '<p>Reply to this email to add information to your ticket; please keep the ticket number in the subject.</p>',
      '<p>{company_name} support</p>',
    ].join('\n'),
  },
  {
    key: 'new_ticket_notification',
    subject: '[{ticket_number}] New ticket: {subject}',
    body: [
      '<p>A new ticket was opened.</p>',
      '<table><tr><td>Ticket</td><td>{ticket_number}</td></tr><tr><td>From</td><td>{guest_name} {guest_surname} &lt;{requester_email}&gt;</td></tr>',
      '<tr><td>Priority</td><td>{priority}</td></tr><tr><td>Category</td><td>{category}</td></tr><tr><td>Subject</td><td>{subject}</td></tr></table>',
      '<div style="white-space:pre-wrap">{description}</div>',
      '<p><a href="{ticket_admin_url}">Open in the helpdesk</a></p>',
    ].join('\n'),
  },
  {
    key: 'status_changed',
    subject: '[{ticket_number}] Your request is now {status}: {subject}',
    body: [
      '<p>Hello {guest_name} {guest_surname},</p>',
      '<p>your ticket <strong>{ticket_number}</strong> ("{subject}") moved from {old_status} to <strong>{status}</strong>.</p>',
      '<p style="white-space:pre-wrap">{note}</p>',
      '<p>Reply to this email if you have anything to add.</p>',
      '<p>{company_name} support</p>',
    ].join('\n'),
  },
  {
    key: 'assignment_notification',
    subject: '[{ticket_number}] Assigned to you: {subject}',
    body: [
      '<p>Hello {agent_name},</p>',
      '<p>ticket <strong>{ticket_number}</strong> is now yours.</p>',
      '<table><tr><td>Subject</td><td>{subject}</td></tr><tr><td>Priority</td><td>{priority}</td></tr><tr><td>Status</td><td>{status}</td></tr>',
      '<tr><td>From</td><td>{guest_name} {guest_surname} &lt;{requester_email}&gt;</td></tr></table>',
      '<div style="white-space:pre-wrap">{description}</div>',
      '<p><a href="{ticket_admin_url}">Open in the helpdesk</a></p>',
    ].join('\n'),
  },
  {
    key: 'agent_notification',
    subject: '[{ticket_number}] {notification_text}',
    body: [
      '<p>Hello {agent_name},</p>',
      '<p>{notification_text}</p>',
      '<table><tr><td>Ticket</td><td>{ticket_number}: {subject}</td></tr><tr><td>Status</td><td>{status}</td></tr><tr><td>Priority</td><td>{priority}</td></tr></table>',
      '<p><a href="{ticket_admin_url}">Open in the helpdesk</a></p>',
    ].join('\n'),
  },
  {
    // an agent's digest of the notifications that came in a burst after the first (notifications/mail.ts)
    key: 'agent_notifications_digest',
    subject: '{notification_count} more helpdesk notifications',
    body: [
      '<p>Hello {agent_name},</p>',
      '<p>{notification_count} more things happened on your tickets in the last {window_minutes} minutes:</p>',
      '<div style="font-family:monospace;white-space:pre-wrap">{notification_list}</div>',
      '<p>{company_name} helpdesk</p>',
    ].join('\n'),
  },
  {
    key: 'comment_notification',
    // the customer's own subject as a reply; the ticket number is added at the end ("Re: Printer jams [TKT-…]")
    subject: 'Re: {subject}',
    body: [
      '<div style="white-space:pre-wrap">{comment_body}</div>',
      '<p style="white-space:pre-wrap">{status_change}</p>',
      '<p>-- <br>{comment_author}, {company_name} support<br>Ticket {ticket_number}: {subject}</p>',
    ].join('\n'),
  },
  {
    // the team's digest of the tickets that came in a burst after the first (see mail/team-digest.ts)
    key: 'new_tickets_digest',
    subject: '{ticket_count} more new tickets ({company_name})',
    body: [
      '<p>{ticket_count} more tickets were opened in the last {window_minutes} minutes:</p>',
      '<div style="font-family:monospace;white-space:pre-wrap">{ticket_list}</div>',
    ].join('\n'),
  },
];

/** Creates the default templates that do not exist yet; an existing (perhaps edited) one is never touched. */
export async function seedDefaultTemplates(strapi: Core.Strapi): Promise<void> {
  const existing = (await strapi.db.query(EMAIL_TEMPLATE).findMany({ select: ['key'] })) as Array<{ key: string }>;
  const have = new Set(existing.map((template) => template.key));
  for (const template of DEFAULT_TEMPLATES) {
    if (have.has(template.key)) continue;
    try {
      await strapi.db.query(EMAIL_TEMPLATE).create({ data: { ...template, enabled: true } });
    } catch (error) {
      // another instance seeded it at the same moment
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
