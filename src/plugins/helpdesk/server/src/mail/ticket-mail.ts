import { resolveActor } from '../audit/actor';
import type { Core } from '@strapi/strapi';
import { ATTACHMENT, EMAIL_TEMPLATE, INBOUND_EMAIL, OUTBOUND_EMAIL, TICKET } from '../../../shared/uids';
import { currentInboundMail } from './inbound-context';
import type { HelpdeskSettings } from '../services/helpdesk-setting';
import { renderTemplate, type TemplateSource, type TemplateVariables } from './render-template';
import type { TicketVariableName } from '../../../shared/template-catalog';
import { cachedLookup } from '../db/lookup-cache';
import { newMessageId } from './message-id';
import { queueDigestLine } from './burst-digest';
import { ticketAdminUrl, withAgentLink } from './agent-links';
import { agentReplySettings, signedAgentAddress } from './agent-reply-address';
import { ENUM_VALUE_LABELS } from '../../../shared/contract';
import { escapeHtml } from './render-template';
import { secretPlaceholder, type MailSecrets } from '../outbox/secrets';
import type { MailFile } from '../outbox/outbox';
import { formatBytes } from '../domain/attachment-policy';
import { fileLinkSigner, mailAttachmentMaxBytes, mailFileLinkDays, serverBaseUrl } from './file-links';
import type { PendingReply } from './reply-scope';
import { ccList } from '../domain/cc-list';
import { getService } from '../get-service';

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
  /** The ticket's Cc list (api/ticket/domain/cc-list.ts): copied on replies and status mails. */
  ccAddresses?: unknown;
  assignee?: { id: number; username: string; email: string } | null;
}

interface StoredTemplate extends TemplateSource {
  enabled: boolean;
}

/** RFC 3834: a reply to the requester's message is auto-replied; a notification nobody asked for is
 * auto-generated; a person's reply (a staff comment) is not automatic at all. */
type AutoSubmitted = 'auto-replied' | 'auto-generated' | null;

/** A stored enumeration value (a status, priority, category) in the words staff read in the admin panel. */
export const valueWord = (value: string | null | undefined): string => (value ? ENUM_VALUE_LABELS[value] ?? value : '');

export function ticketVariables(ticket: TicketForMail, settings: HelpdeskSettings): Record<TicketVariableName, string> {
  const base = settings.publicBaseUrl?.replace(/\/+$/, '');
  return {
    guest_name: ticket.firstName ?? '',
    guest_surname: ticket.lastName ?? '',
    requester_email: ticket.email ?? '',
    ticket_number: ticket.ticketNumber,
    subject: ticket.subject,
    description: ticket.description ?? '',
    priority: valueWord(ticket.priority),
    status: valueWord(ticket.ticketStatus),
    category: valueWord(ticket.category),
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

/** A reply's subject: the customer's own, as a reply, with the number: `Re: Printer jams [TKT-…]`. */
export function replySubject(subject: string, ticketNumber: string): string {
  // one "Re:" however many the thread piled up (Re:, RE:, Aw:, Fwd:)
  const bare = subject.replace(/^\s*((re|aw|fwd?|wg)\s*:\s*)+/i, '').trim();
  const escaped = ticketNumber.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = new RegExp(`(?<![\\w-])${escaped}(?!\\d)`, 'i').test(bare);
  return named ? `Re: ${bare}` : `Re: ${bare} [${ticketNumber}]`;
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
  /** Copied to the ticket's Cc list: the conversation's mails (public replies, status mails), like reply-all. */
  withCc?: boolean;
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
  /** A person's reply: the subject is the customer's own as a reply (replySubject), not the template's. */
  asReply?: boolean;
  /** Text and HTML added after the template's body (what a stored template has no variable for). */
  appendix?: { text: string; html: string };
  attachments?: MailFile[];
  secrets?: MailSecrets;
  /** A mail to an agent: it links to the ticket view ({ticket_admin_url}, or a line after the body). */
  agentLink?: boolean;
}

/** HTML after a body: inside its </body> when it has one. */
const appendHtml = (html: string, extra: string): string =>
  !extra ? html : /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${extra}</body>`) : `${html}\n${extra}`;

/**
 * Renders template `key` for a ticket and puts the mail in the outbox (inside the caller's
 * transaction). A missing or disabled template sends nothing; unknown placeholders are logged.
 */
async function queueTicketMail(strapi: Core.Strapi, mail: TicketMail): Promise<void> {
  const { key, to, ticket, settings } = mail;
  const template = await cachedLookup(`email-template:${key}`, () => strapi.db.query(EMAIL_TEMPLATE).findOne({ where: { key } }) as Promise<StoredTemplate | null>);
  if (!template?.enabled) return;
  const adminUrl = mail.agentLink ? ticketAdminUrl(strapi, ticket.documentId) : null;
  const rendered = renderTemplate(template, { ...ticketVariables(ticket, settings), ...mail.extra, ...(adminUrl ? { ticket_admin_url: adminUrl } : {}) });
  const appendix = mail.appendix ?? (adminUrl ? withAgentLink(template.body, adminUrl) : null);
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
  await getService(strapi, 'outbox').enqueue({
    to,
    cc: mail.withCc ? ccList(ticket.ccAddresses) : undefined,
    subject: mail.asReply ? replySubject(rendered.subject, ticket.ticketNumber) : withTicketTag(rendered.subject, ticket.ticketNumber),
    text: appendix?.text ? `${rendered.text}\n${appendix.text}` : rendered.text,
    html: appendHtml(rendered.html, appendix?.html ?? ''),
    attachments: mail.attachments,
    secrets: mail.secrets,
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
  // nobody is told of their own action: "Assign to me", a bulk "Me", a ticket they open for themself
  if ((await resolveActor(strapi)).userId === assignee.id) return;
  const reply = agentReplySettings(strapi);
  await queueTicketMail(strapi, {
    key: 'assignment_notification',
    to: assignee.email,
    ticket,
    settings,
    autoSubmitted: 'auto-generated',
    extra: { agent_name: assignee.username },
    agentLink: true,
    replyTo: reply ? signedAgentAddress(reply.base, reply.key, assignee.id, assignee.email) : undefined,
  });
}

/** A new ticket as the team's digest lists it, with the link to its ticket view. */
/** One notification mailed to an agent, or to the team address (notifications/notify.ts). */
export async function queueAgentNotificationMail(strapi: Core.Strapi, ticket: TicketForMail, to: string, agentName: string, text: string): Promise<void> {
  const settings = await getService(strapi, 'settings').current();
  await queueTicketMail(strapi, {
    key: 'agent_notification',
    to,
    ticket,
    settings,
    autoSubmitted: 'auto-generated',
    extra: { agent_name: agentName, notification_text: text },
    agentLink: true,
  });
}

function digestLine(strapi: Core.Strapi, ticket: TicketForMail): string {
  const name = [ticket.firstName, ticket.lastName].filter(Boolean).join(' ');
  const requester = ticket.email ? (name ? `${name} <${ticket.email}>` : ticket.email) : name || '-';
  return `${ticket.ticketNumber}  [${valueWord(ticket.priority)}]  ${ticket.subject}  (${requester})  ${ticketAdminUrl(strapi, ticket.documentId)}`;
}

/** Mail for a new ticket, whatever its origin: the requester's confirmation (when auto-reply is on; one
 * template for every origin, in the thread of their mail for a ticket opened by email, and nothing at
 * all when that mail was automatic), the team's notification (when a support address is set), and the
 * assignee's notice. */
export async function queueTicketCreatedMails(strapi: Core.Strapi, ticket: TicketForMail): Promise<void> {
  const settings = await getService(strapi, 'settings').current();
  const inbound = currentInboundMail();
  if (ticket.email && settings.autoReplyEnabled && !inbound?.automatic) {
    await queueTicketMail(strapi, {
      key: 'ticket_confirmation',
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
    const digest = {
      key: settings.supportAddress.toLowerCase(),
      to: settings.supportAddress,
      templateKey: 'new_tickets_digest',
      variables: { company_name: settings.companyName, support_address: settings.supportAddress },
      listVariables: (lines: string[]) => ({ ticket_count: lines.length, ticket_list: lines.join('\n') }),
    };
    if (!(await queueDigestLine(strapi, digest, digestLine(strapi, ticket)))) {
      await queueTicketMail(strapi, { key: 'new_ticket_notification', to: settings.supportAddress, ticket, settings, autoSubmitted: 'auto-generated', agentLink: true });
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
  note: string | null,
  /** The status move is told in a reply's mail of the same action (see mail/reply-scope.ts). */
  statusInReply = false
): Promise<void> {
  const statusChanged = before.ticketStatus !== after.ticketStatus;
  const newAssignee = after.assignee && after.assignee.id !== before.assignee?.id ? after.assignee : null;
  if (!statusChanged && !newAssignee) return;
  const settings = await getService(strapi, 'settings').current();
  if (statusChanged && !statusInReply && after.email && (settings.notifyRequesterOnStatus as readonly string[]).includes(after.ticketStatus)) {
    await queueTicketMail(strapi, {
      key: 'status_changed',
      to: after.email,
      ticket: after,
      settings,
      autoSubmitted: 'auto-generated',
      extra: { old_status: valueWord(before.ticketStatus), note: note ?? '' },
      threaded: true,
      withCc: true,
    });
  }
  if (newAssignee?.email) await queueAssignmentMail(strapi, after, newAssignee, settings);
}

interface ReplyAttachmentRow {
  documentId: string;
  filename: string | null;
  mimeType: string | null;
  size: string | number | null;
  file: { id: number } | null;
}

/**
 * A reply's files: MIME attachments while their total stays within MAIL_ATTACHMENT_MAX_BYTES, else
 * all of them as links that expire (signed, see mail/file-links.ts). A link is a credential: the
 * stored mail holds a placeholder, the link itself is sealed with the outbox's mail secrets.
 */
async function replyFiles(strapi: Core.Strapi, commentId: number): Promise<Pick<TicketMail, 'attachments' | 'secrets' | 'appendix'>> {
  const rows = (await strapi.db.query(ATTACHMENT).findMany({
    where: { comment: { id: commentId } },
    select: ['documentId', 'filename', 'mimeType', 'size'],
    populate: { file: { select: ['id'] } },
    orderBy: { id: 'asc' },
  })) as ReplyAttachmentRow[];
  const files = rows.filter((row): row is ReplyAttachmentRow & { file: { id: number } } => row.file !== null);
  if (files.length === 0) return {};
  const name = (row: ReplyAttachmentRow) => row.filename ?? 'file';
  const total = files.reduce((sum, row) => sum + Number(row.size ?? 0), 0);
  if (total <= mailAttachmentMaxBytes()) {
    return {
      attachments: files.map((row) => ({ fileId: row.file.id, filename: name(row), contentType: row.mimeType ?? 'application/octet-stream' })),
    };
  }
  const expiresAt = new Date(Date.now() + mailFileLinkDays() * 24 * 3600 * 1000);
  const until = `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const signer = fileLinkSigner(strapi);
  const base = serverBaseUrl(strapi);
  const secrets: MailSecrets = {};
  const text: string[] = ['', `Files (too large to attach; the links work until ${until}):`];
  const html: string[] = [];
  files.forEach((row, index) => {
    const secret = `file_${index + 1}`;
    secrets[secret] = `${base}${signer.path(row.documentId, expiresAt)}`;
    const size = formatBytes(Number(row.size ?? 0));
    text.push(`- ${name(row)} (${size}): ${secretPlaceholder(secret)}`);
    html.push(`<li><a href="${secretPlaceholder(secret)}">${escapeHtml(name(row))}</a> (${escapeHtml(size)})</li>`);
  });
  return {
    secrets,
    appendix: {
      text: text.join('\n'),
      html: `<p>Files (too large to attach; the links work until ${escapeHtml(until)}):</p>\n<ul>${html.join('')}</ul>`,
    },
  };
}

/** "Status: moved from In progress to Pending.", and the note given with the move. */
const statusChangeWords = (status: PendingReply['status']): string =>
  status ? `Status: moved from ${valueWord(status.from)} to ${valueWord(status.to)}.${status.note ? `\n${status.note}` : ''}` : '';

/**
 * A public staff reply goes to the requester, in the ticket's thread, as one mail: its text, its
 * files, and the status the same action moved the ticket to (a template without {status_change}
 * gets it after its body).
 */
export async function queueReplyMail(strapi: Core.Strapi, reply: PendingReply): Promise<void> {
  const ticket = (await strapi.db.query(TICKET).findOne({ where: { id: reply.ticketId } })) as TicketForMail | null;
  if (!ticket?.email) return;
  const settings = await getService(strapi, 'settings').current();
  const files = await replyFiles(strapi, reply.comment.id);
  const statusChange = statusChangeWords(reply.status);
  const template = await cachedLookup(`email-template:comment_notification`, () =>
    strapi.db.query(EMAIL_TEMPLATE).findOne({ where: { key: 'comment_notification' } }) as Promise<StoredTemplate | null>
  );
  const templateTellsStatus = Boolean(template?.body.includes('{status_change}'));
  const statusText = statusChange && !templateTellsStatus ? statusChange : '';
  const appendix = {
    text: [statusText && `\n${statusText}`, files.appendix?.text ?? ''].filter(Boolean).join('\n'),
    html: [statusText && `<p style="white-space:pre-wrap">${escapeHtml(statusText)}</p>`, files.appendix?.html ?? ''].filter(Boolean).join('\n'),
  };
  await queueTicketMail(strapi, {
    key: 'comment_notification',
    to: ticket.email,
    ticket,
    settings,
    autoSubmitted: null,
    extra: { comment_body: reply.comment.body, comment_author: reply.comment.authorName ?? settings.companyName, status_change: statusChange },
    threaded: true,
    withCc: true,
    asReply: true,
    appendix,
    attachments: files.attachments,
    secrets: files.secrets,
  });
}
