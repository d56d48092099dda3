/**
 * The parse stage: raw RFC 5322 bytes in, a ParsedMail out (headers decoded, bodies in UTF-8, the
 * new part of a reply separated from its quoted history, HTML made safe to show). Pure: no Strapi,
 * no IMAP, nothing stored.
 *
 * Broken mail: a message whose MIME structure is damaged (a missing closing boundary, bad base64, a
 * part without headers, an undeclared or unknown charset) is parsed as far as it goes, the way mail
 * clients show it: the requester still gets a ticket with whatever text could be read. Input that is
 * not a mail at all (empty, no header a mail has, random bytes) and anything that makes the parser
 * itself fail (limits exceeded, a bug) is a MailParseError, never another exception, so the pipeline
 * has one thing to catch and quarantine the raw source with. An unusual From is no such failure: the
 * requester's address is found best effort (from-address.ts), or the mail has none.
 *
 * One job per file: decode.ts (headers, ids, addresses), reply-text.ts (the new part of a reply),
 * html.ts (HTML to text, the allow-list), attachments.ts; this file puts them together.
 */
import { simpleParser } from 'mailparser';
import type { ParsedMail as MailparserMail } from 'mailparser';
import { toAttachment } from './attachments';
import { mailContentHash } from './content-hash';
import { addressEntries, addresses, generatedMessageId, headerDate, headerRecord, headerValues, isAddressObject, looksLikeMail, messageIds } from './decode';
import { requesterAddress } from './from-address';
import { htmlToText, sanitizeMailHtml } from './html';
import { visibleText } from './reply-text';
import type { ParsedMail } from './types';

export { attachmentOmitted } from './attachments';
export { decodeEncodedWords } from './decode';
export { visibleText } from './reply-text';

export type MailParseErrorReason = 'empty' | 'not_a_mail' | 'unparseable';

/** The source cannot be understood as a mail: the pipeline quarantines it (raw source kept). */
export class MailParseError extends Error {
  readonly reason: MailParseErrorReason;
  /** The mail's Message-ID when it was read before the failure (its quarantine record keeps it). */
  readonly messageId: string | null;

  constructor(reason: MailParseErrorReason, message: string, options?: { cause?: unknown; messageId?: string }) {
    super(message, options);
    this.name = 'MailParseError';
    this.reason = reason;
    this.messageId = options?.messageId ?? null;
  }
}

export interface ParseOptions {
  /**
   * Attachments larger than this (decoded bytes) are listed with their name, type and size but an
   * empty `content`; see attachmentOmitted(). simpleParser holds the whole mail in memory anyway,
   * so this limits what later stages store, not what parsing uses.
   */
  maxAttachmentBytes?: number;
}

export async function parseMail(source: Buffer, options: ParseOptions = {}): Promise<ParsedMail> {
  if (isBlank(source)) {
    throw new MailParseError('empty', 'the message is empty');
  }
  let parsed: MailparserMail;
  try {
    // keepCidLinks: inline images stay `cid:` references to their attachment instead of being
    // copied into the HTML as data: URLs (the bytes are in `attachments` already)
    parsed = await simpleParser(source, { keepCidLinks: true, skipHtmlToText: true });
  } catch (error) {
    throw new MailParseError('unparseable', `the MIME parser failed: ${errorMessage(error)}`, { cause: error });
  }
  if (!looksLikeMail(parsed.headerLines)) {
    throw new MailParseError('not_a_mail', 'no mail header (From, Date, Message-ID, Subject, To, ...) found');
  }
  try {
    return await toParsedMail(source, parsed, options);
  } catch (error) {
    if (error instanceof MailParseError) throw error;
    throw new MailParseError('unparseable', `the message could not be read: ${errorMessage(error)}`, { cause: error });
  }
}

async function toParsedMail(source: Buffer, parsed: MailparserMail, options: ParseOptions): Promise<ParsedMail> {
  const headers = headerRecord(parsed.headerLines);
  const ownId = messageIds(parsed.messageId ?? '')[0];
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  const text = !parsed.text?.trim() && html !== null ? htmlToText(html) : parsed.text ?? '';
  const messageId = ownId ?? generatedMessageId(source);
  const attachments = parsed.attachments.map((attachment, index) => toAttachment(attachment, index, options.maxAttachmentBytes));
  const senderHeader = parsed.headers.get('sender');
  const requester = requesterAddress(
    addressEntries(parsed.from, true),
    addressEntries(parsed.replyTo),
    addressEntries(isAddressObject(senderHeader) ? senderHeader : undefined)
  );
  return {
    messageId,
    messageIdGenerated: ownId === undefined,
    contentHash: mailContentHash(source),
    inReplyTo: messageIds(parsed.inReplyTo ?? ''),
    references: messageIds(parsed.references ?? ''),
    ...requester,
    fromHeader: (headers.from ?? '').slice(0, 300),
    replyTo: addresses(parsed.replyTo)[0] ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: parsed.subject ?? '',
    date: headerDate(headers.date),
    headers,
    authenticationResults: headerValues(parsed.headerLines, 'authentication-results'),
    text,
    visibleText: visibleText(text),
    safeHtml: html === null ? null : sanitizeMailHtml(html, attachments),
    attachments,
  };
}

/** Empty, or only whitespace (checked byte by byte: no copy of a large source). */
function isBlank(source: Buffer): boolean {
  for (const byte of source) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
