/**
 * The classify stage: was this mail sent by a machine (an auto-responder, a mailing list, a bounce,
 * ourselves)? Such mail is ingested but never answered automatically, which is what breaks mail
 * loops. Pure: reads the ParsedMail only (and the two facts the context gives).
 */
import type { Classification, ParsedMail } from './types';

export interface ClassifyContext {
  /** The helpdesk's own addresses: mail from them is our own coming back. */
  supportAddresses: string[];
  /** Whether a Message-ID is one the helpdesk gave a mail it sent (outbound-email.messageId). */
  isOwnMessageId?: (id: string) => boolean;
}

/** One loop guard: why the mail counts as automatic, or null when the rule does not apply. */
type Rule = (mail: ParsedMail, context: ClassifyContext) => string | null;

/** Every rule, in the order their reasons are listed. */
const RULES: readonly Rule[] = [
  autoSubmitted,
  precedence,
  xAutoreply,
  xAutorespond,
  xAutoResponseSuppress,
  mailingList,
  nullReturnPath,
  machineSender,
  ownAddress,
  ownMessageId,
  deliveryStatusNotification,
];

export function classifyMail(mail: ParsedMail, context: ClassifyContext): Classification {
  const reasons: string[] = [];
  for (const rule of RULES) {
    const reason = rule(mail, context);
    if (reason !== null) reasons.push(reason);
  }
  return { automatic: reasons.length > 0, reasons, bounceOf: bounceOf(mail) };
}

// ---------------------------------------------------------------------------------------------
// The rules

/** RFC 3834: any value but `no` (auto-replied, auto-generated, auto-notified, ...). */
function autoSubmitted(mail: ParsedMail): string | null {
  const value = header(mail, 'auto-submitted');
  if (value === undefined) return null;
  const keyword = value.split(/[;(]/)[0].trim().toLowerCase();
  return keyword === 'no' ? null : `Auto-Submitted: ${shown(keyword) || '(empty)'}`;
}

const AUTOMATIC_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply']);

function precedence(mail: ParsedMail): string | null {
  const value = header(mail, 'precedence')?.trim().toLowerCase();
  return value !== undefined && AUTOMATIC_PRECEDENCE.has(value) ? `Precedence: ${value}` : null;
}

function xAutoreply(mail: ParsedMail): string | null {
  return present(mail, 'x-autoreply', 'X-Autoreply');
}

function xAutorespond(mail: ParsedMail): string | null {
  return present(mail, 'x-autorespond', 'X-Autorespond');
}

/** Exchange's "do not answer this automatically" (we set it on our own automatic mail too). */
function xAutoResponseSuppress(mail: ParsedMail): string | null {
  return present(mail, 'x-auto-response-suppress', 'X-Auto-Response-Suppress');
}

function mailingList(mail: ParsedMail): string | null {
  return present(mail, 'list-id', 'List-Id') ?? present(mail, 'list-unsubscribe', 'List-Unsubscribe');
}

/** The null reverse path: bounces and other mail that must not be answered (RFC 5321 4.5.5). */
function nullReturnPath(mail: ParsedMail): string | null {
  const value = header(mail, 'return-path');
  return value !== undefined && value.replace(/\s+/g, '') === '<>' ? 'Return-Path: <>' : null;
}

/** mailer-daemon@, postmaster@, noreply@ / no-reply@ / donotreply@ / do-not-reply@ (and noreply-…@). */
const MACHINE_LOCAL_PART = /^(mailer-daemon|postmaster|no[-_]?reply|do[-_]?not[-_]?reply)(?:$|[-+._])/i;

function machineSender(mail: ParsedMail): string | null {
  const localPart = mail.from?.address.split('@')[0] ?? '';
  const match = MACHINE_LOCAL_PART.exec(localPart);
  return match ? `sender is ${match[1].toLowerCase()}` : null;
}

/** Our own address as the sender: our mail came back (a forward, an alias pointing at itself). */
function ownAddress(mail: ParsedMail, context: ClassifyContext): string | null {
  const sender = mail.from?.address;
  if (!sender) return null;
  const own = context.supportAddresses.some((address) => address.trim().toLowerCase() === sender);
  return own ? `sender is our own address ${sender}` : null;
}

/** The mail is one the helpdesk sent (its Message-ID is one we gave out). */
function ownMessageId(mail: ParsedMail, context: ClassifyContext): string | null {
  if (mail.messageIdGenerated || !context.isOwnMessageId?.(mail.messageId)) return null;
  return `Message-ID ${shown(mail.messageId)} is one of ours`;
}

function deliveryStatusNotification(mail: ParsedMail): string | null {
  return isDeliveryStatusNotification(mail) ? 'delivery status notification (multipart/report; report-type=delivery-status)' : null;
}

// ---------------------------------------------------------------------------------------------
// Bounces

/** RFC 3464: `Content-Type: multipart/report; report-type=delivery-status` (parameters in any order). */
export function isDeliveryStatusNotification(mail: ParsedMail): boolean {
  const contentType = header(mail, 'content-type')?.toLowerCase() ?? '';
  return /^multipart\/report\s*(?:;|$)/.test(contentType) && /;\s*report-type\s*=\s*"?delivery-status"?\s*(?:;|$)/.test(contentType);
}

/** The parts of a report that carry the original message or its headers. */
const ORIGINAL_MESSAGE_PARTS = new Set(['text/rfc822-headers', 'message/rfc822', 'message/global-headers', 'message/global']);

/**
 * For a delivery status notification, the Message-ID of the mail that bounced: from the returned
 * headers (text/rfc822-headers) or message (message/rfc822), else a `Message-ID: <…>` line in the
 * body, else In-Reply-To, else the last References entry. Null for any other mail.
 */
export function bounceOf(mail: ParsedMail): string | null {
  if (!isDeliveryStatusNotification(mail)) return null;
  for (const attachment of mail.attachments) {
    if (!ORIGINAL_MESSAGE_PARTS.has(attachment.contentType)) continue;
    const id = messageIdHeader(headerBlock(attachment.content.toString('utf8')));
    if (id) return id;
  }
  return messageIdHeader(mail.text) ?? mail.inReplyTo[0] ?? mail.references[mail.references.length - 1] ?? null;
}

/** The header section of a message: up to the first empty line, folded lines unfolded. */
function headerBlock(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  return (end < 0 ? message : message.slice(0, end)).replace(/\r?\n(?=[ \t])/g, '');
}

function messageIdHeader(text: string): string | null {
  return /^[ \t]*Message-ID:[ \t]*(<[^<>\s]+>)/im.exec(text)?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------

function header(mail: ParsedMail, name: string): string | undefined {
  return Object.hasOwn(mail.headers, name) ? mail.headers[name] : undefined;
}

function present(mail: ParsedMail, name: string, label: string): string | null {
  const value = header(mail, name);
  return value === undefined ? null : `${label}: ${shown(value) || '(empty)'}`;
}

/** A header value as it goes into a reason: one line, control characters out, at most 100 characters. */
function shown(value: string): string {
  const clean = value.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  return clean.length > 100 ? `${clean.slice(0, 99)}…` : clean;
}
