/**
 * The mail templates staff can edit: what each one is for, the {variables} it can use with their
 * meaning, and a sample ticket's values for previews and test mails. One list for the renderer's
 * callers (src/mail), the back office's preview (src/back-office/templates) and the admin panel
 * (src/admin/content-manager/EmailTemplatePanel.tsx).
 *
 * Pure TypeScript: it imports only the pure back-office contract, so the admin bundle can include it.
 */
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from './contract';

export interface TemplateVariable {
  /** What the value is, in staff's words. */
  meaning: string;
  /** The preview's value (a sample ticket). */
  sample: string;
}

const SAMPLE_NUMBER = 'TKT-2026-00042';

/** Every variable a ticket mail can use. */
export const TICKET_VARIABLES = {
  guest_name: { meaning: "The requester's first name", sample: 'Ada' },
  guest_surname: { meaning: "The requester's last name", sample: 'Lovelace' },
  requester_email: { meaning: "The requester's email address", sample: 'ada@example.com' },
  ticket_number: { meaning: 'The ticket number', sample: SAMPLE_NUMBER },
  subject: { meaning: "The ticket's subject", sample: 'Printer on floor 3 jams' },
  description: { meaning: 'What the requester wrote when opening the ticket', sample: 'It jams on every second page.\nI tried another tray.' },
  priority: { meaning: 'Priority, in words ("High")', sample: PRIORITY_LABELS.high },
  status: { meaning: 'Status, in words ("In progress")', sample: STATUS_LABELS.open },
  category: { meaning: 'Category, in words ("Technical")', sample: CATEGORY_LABELS.technical },
  company_name: { meaning: 'Company name (Helpdesk settings)', sample: 'Acme' },
  support_address: { meaning: 'Team address (Helpdesk settings)', sample: 'support@acme.example' },
  ticket_url: { meaning: "Link to the ticket (public base URL in settings; empty when not set)", sample: `https://help.acme.example/tickets/${SAMPLE_NUMBER}` },
} as const satisfies Record<string, TemplateVariable>;

export type TicketVariableName = keyof typeof TICKET_VARIABLES;

/** Variables only some templates have. */
const EXTRA_VARIABLES = {
  old_status: { meaning: 'The status before the change, in words', sample: STATUS_LABELS.new },
  note: { meaning: 'The note given with the status change (may be empty)', sample: 'Waiting for the spare part.' },
  agent_name: { meaning: 'The assigned agent', sample: 'sam' },
  comment_body: { meaning: "The staff reply's text", sample: 'Hello Ada,\nthe technician comes tomorrow at 9.' },
  comment_author: { meaning: 'Who wrote the reply', sample: 'Sam Agent' },
  status_change: {
    meaning: 'The status the reply moved the ticket to ("Status: moved from In progress to Pending."), else empty; without it in the template the line comes after the body',
    sample: `Status: moved from ${STATUS_LABELS.in_progress} to ${STATUS_LABELS.pending}.`,
  },
  ticket_count: { meaning: 'How many tickets the digest lists', sample: '3' },
  ticket_list: {
    meaning: 'One line per ticket: number, priority, subject, requester',
    sample: [
      `TKT-2026-00043  [${PRIORITY_LABELS.medium}]  Invoice missing  (Bo Berg <bo@example.com>)`,
      `TKT-2026-00044  [${PRIORITY_LABELS.high}]  VPN down  (Cy Chen <cy@example.com>)`,
      `TKT-2026-00045  [${PRIORITY_LABELS.low}]  New chair  (Di Diaz <di@example.com>)`,
    ].join('\n'),
  },
  window_minutes: { meaning: "The digest window's length in minutes", sample: '10' },
  ticket_admin_url: { meaning: "Link to the ticket's view in the admin panel (agents' mails)", sample: 'https://help.acme.example/admin/helpdesk/tickets/q1w2e3r4t5y6u7i8o9p0a1s2' },
  notification_text: { meaning: 'What happened, in one sentence', sample: 'Ada Lovelace replied: "Still jams, see the photo."' },
  notification_count: { meaning: 'How many notifications the digest lists', sample: '2' },
  notification_list: {
    meaning: 'One line per notification: ticket number, what happened, link',
    sample: [
      'TKT-2026-00043  Bo Berg replied: "Any news?"  https://help.acme.example/admin/helpdesk/tickets/a1',
      'TKT-2026-00044  Cy Chen mentioned you: "@sam can you check the VPN logs?"  https://help.acme.example/admin/helpdesk/tickets/b2',
    ].join('\n'),
  },
} as const satisfies Record<string, TemplateVariable>;

export const TEMPLATE_VARIABLES: Readonly<Record<string, TemplateVariable>> = { ...TICKET_VARIABLES, ...EXTRA_VARIABLES };

type VariableName = TicketVariableName | keyof typeof EXTRA_VARIABLES;

export interface TemplateKind {
  /** When the mail goes out and to whom. */
  when: string;
  variables: readonly VariableName[];
}

const TICKET = Object.keys(TICKET_VARIABLES) as TicketVariableName[];

/** The templates the helpdesk sends, by key. */
export const TEMPLATE_KINDS = {
  ticket_confirmation: {
    when: 'To the requester when a ticket is opened (web form, email, staff, API), if auto-reply is on',
    variables: TICKET,
  },
  new_ticket_notification: { when: 'To the team address when a ticket is opened (the first of a burst)', variables: [...TICKET, 'ticket_admin_url'] },
  new_tickets_digest: {
    when: 'To the team address: the tickets opened after the first one of a burst, at the end of its window',
    variables: ['ticket_count', 'ticket_list', 'window_minutes', 'company_name', 'support_address'],
  },
  status_changed: { when: 'To the requester when the status moves to one named in Helpdesk settings', variables: [...TICKET, 'old_status', 'note'] },
  assignment_notification: { when: 'To the agent a ticket is assigned to', variables: [...TICKET, 'agent_name', 'ticket_admin_url'] },
  agent_notification: {
    when: 'To the assignee (the team address when unassigned): a customer reply, a reopened ticket, an SLA target about to pass, a mention; the first of a burst',
    variables: [...TICKET, 'agent_name', 'notification_text', 'ticket_admin_url'],
  },
  agent_notifications_digest: {
    when: "To an agent: the notifications after the first one of a burst, at the end of its window (the agent's mail preference)",
    variables: ['agent_name', 'notification_count', 'notification_list', 'window_minutes', 'company_name'],
  },
  comment_notification: { when: "To the requester: a staff member's public reply", variables: [...TICKET, 'comment_body', 'comment_author', 'status_change'] },
} as const satisfies Record<string, TemplateKind>;

export type TemplateKey = keyof typeof TEMPLATE_KINDS;

export const isTemplateKey = (key: string): key is TemplateKey => Object.prototype.hasOwnProperty.call(TEMPLATE_KINDS, key);

/** The sample ticket's values for template `key`: the preview and the test mail use them. */
export function sampleVariables(key: TemplateKey): Record<string, string> {
  return Object.fromEntries(TEMPLATE_KINDS[key].variables.map((name) => [name, TEMPLATE_VARIABLES[name].sample]));
}

/* ------------------------------------------------ /helpdesk-admin/templates (src/back-office/templates) */

/** POST /helpdesk-admin/templates/preview and /test-mail: the template as the form holds it now. */
export interface TemplateDraft {
  key: string;
  subject: string;
  body: string;
}

/** POST /helpdesk-admin/templates/preview: the mail the draft makes for the sample ticket. */
export interface TemplatePreview {
  subject: string;
  html: string;
  /** The plain-text part, derived from the HTML. */
  text: string;
  /** {placeholders} the template uses that this template has no value for: they stay as written. */
  unknown: string[];
}

/** POST /helpdesk-admin/templates/test-mail: the mail went into the outbox, to the signed-in admin. */
export interface TemplateTestMailResult {
  to: string;
  subject: string;
  /** Queued, or why not (the recipient's cap of automatic mail). */
  suppressed: string | null;
}
