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
 */
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { AddressObject, Attachment, EmailAddress, HeaderLines, ParsedMail as MailparserMail } from 'mailparser';
import EmailReplyParser from 'email-reply-parser';
import sanitizeHtml from 'sanitize-html';
import { normalizeMailAddress } from '../validation/email-address';
import { mailContentHash } from './content-hash';
import { requesterAddress } from './from-address';
import type { Address, MailAttachment, ParsedMail } from './types';

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

/** Whether parseMail left an attachment's content out because it was over maxAttachmentBytes. */
export function attachmentOmitted(attachment: MailAttachment): boolean {
  return attachment.content.length < attachment.size;
}

export async function parseMail(source: Buffer, options: ParseOptions = {}): Promise<ParsedMail> {
  if (isBlank(source)) {
    throw new MailParseError('empty', 'the message is empty');
  }
  let parsed: MailparserMail;
  try {
    // keepCidLinks: inline images stay `cid:` references to their attachment instead of being
    // copied into the HTML as data: URLs (the bytes are in `attachments` already)
    parsed = await simpleParser(source, { keepCidLinks: true });
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
  const needsText = !parsed.text?.trim() && html !== null && !parsed.textConversionError;
  const text = needsText ? await htmlToText(html) : parsed.text ?? '';
  const messageId = ownId ?? generatedMessageId(source);
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
    safeHtml: html === null ? null : sanitizeMailHtml(html),
    attachments: parsed.attachments.map((attachment, index) => toAttachment(attachment, index, options.maxAttachmentBytes)),
  };
}

// ---------------------------------------------------------------------------------------------
// Message-IDs and addresses

/** `<sha256-…@generated.invalid>`: the same bytes fetched twice get the same id. */
export function generatedMessageId(source: Buffer): string {
  return `<sha256-${createHash('sha256').update(source).digest('hex')}@generated.invalid>`;
}

/**
 * The `<…>` ids in a Message-ID, In-Reply-To or References value (mailparser gives a string or a
 * string[], and a string may hold several ids separated by whitespace). Ids without brackets (some
 * broken mailers) are bracketed when they look like one (contain an @); duplicates dropped.
 */
export function messageIds(value: string | string[]): string[] {
  const ids = new Set<string>();
  for (const item of Array.isArray(value) ? value : [value]) {
    const bracketed = item.match(/<[^<>]*>/g);
    const found = bracketed
      ? bracketed.map((id) => id.replace(/\s+/g, ''))
      : item.split(/[\s,]+/).filter((token) => token.includes('@')).map((token) => `<${token}>`);
    for (const id of found) {
      if (id.length > 2) ids.add(id);
    }
  }
  return [...ids];
}

/** A header's addresses, groups flattened; `withNames`: also entries that have only a name. */
function addressEntries(value: AddressObject | AddressObject[] | undefined, withNames = false): EmailAddress[] {
  if (!value) return [];
  const flatten = (entries: EmailAddress[]): EmailAddress[] => entries.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
  return flatten((Array.isArray(value) ? value : [value]).flatMap((object) => object.value)).filter(
    (entry) => entry.address?.trim() || (withNames && entry.name?.trim())
  );
}

const isAddressObject = (value: unknown): value is AddressObject =>
  typeof value === 'object' && value !== null && Array.isArray((value as { value?: unknown }).value);

/**
 * The addresses of a header, as normalizeMailAddress makes them; one that is not an email address
 * is left out (a spammer's broken Cc never becomes a participant, nor reaches a validator).
 */
function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  return addressEntries(value).flatMap((entry) => {
    const address = normalizeMailAddress(entry.address ?? '');
    return address ? [{ address, name: (entry.name ?? '').trim() }] : [];
  });
}

/** mailparser makes an unreadable Date header "now"; a mail whose date we cannot read has none. */
function headerDate(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Headers a mail has (at least one of them); random bytes or a text file have none. */
const MAIL_HEADERS = new Set([
  'from', 'sender', 'to', 'cc', 'subject', 'date', 'message-id', 'received', 'return-path',
  'mime-version', 'content-type', 'reply-to', 'in-reply-to', 'references', 'delivered-to',
]);

/** RFC 5322 field-name: printable ASCII except the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function looksLikeMail(lines: HeaderLines): boolean {
  return lines.some(({ key }) => FIELD_NAME.test(key) && MAIL_HEADERS.has(key));
}

/**
 * Lower-cased header names → the first occurrence's value, unfolded, RFC 2047 encoded words
 * decoded (raw UTF-8 headers, RFC 6532, read as UTF-8). Structured headers stay as written
 * (`Return-Path: <>`, `Content-Type: multipart/report; report-type=…`), which is what the classify
 * stage reads. Built from the raw lines because mailparser's own header map folds List-* headers
 * into one `list` entry and turns addresses and dates into objects.
 */
function headerRecord(lines: HeaderLines): Record<string, string> {
  const values = new Map<string, string>();
  for (const { key, line } of lines) {
    if (!FIELD_NAME.test(key) || values.has(key)) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const raw = line.slice(colon + 1).replace(/\r?\n(?=[ \t])/g, '').trim();
    values.set(key, decodeEncodedWords(binaryToText(raw)));
  }
  // fromEntries defines own properties: a header named __proto__ cannot touch the prototype
  return Object.fromEntries(values);
}

/** Every occurrence of one header, in order (top first), unfolded. */
function headerValues(lines: HeaderLines, name: string): string[] {
  return lines.filter(({ key }) => key === name).map(({ line }) => binaryToText(line.slice(line.indexOf(':') + 1).replace(/\r?\n(?=[ \t])/g, '').trim()));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** mailparser gives header lines as one char per byte; 8-bit bytes are UTF-8 (RFC 6532) or legacy. */
function binaryToText(value: string): string {
  if (!/[^\x00-\x7f]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * RFC 2047 encoded words (`=?charset?B|Q?…?=`) decoded with the WHATWG decoders Node has
 * (Shift_JIS, ISO-2022-JP, GB2312, KOI8-R, ...). Adjacent words with the same charset are decoded
 * together (a multibyte character may be split across two words), and the whitespace between
 * encoded words is dropped, as the RFC says. An unknown charset is read as UTF-8.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let result = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  const flush = (): void => {
    if (pending) result += decodeBytes(Buffer.concat(pending.bytes), pending.charset);
    pending = null;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, match.index);
    const charset = match[1].toLowerCase();
    const bytes = match[2].toUpperCase() === 'B' ? Buffer.from(match[3], 'base64') : decodeQ(match[3]);
    if (pending && /^\s*$/.test(between) && pending.charset === charset) {
      pending.bytes.push(bytes);
    } else {
      flush();
      if (!(last > 0 && /^\s*$/.test(between))) result += between;
      pending = { charset, bytes: [bytes] };
    }
    last = match.index + match[0].length;
  }
  flush();
  return result + value.slice(last);
}

function decodeQ(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '_') bytes.push(0x20);
    else if (char === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(char.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Text: the new part of a reply

/**
 * mailparser derives text from HTML only when the HTML is the whole message or sits next to a text
 * part; an HTML-only mail with attachments or inline images (multipart/mixed or /related around a
 * lone text/html) gets no text. Such HTML goes through mailparser again as a one-part HTML message,
 * so every HTML-only mail gets the same html-to-text conversion.
 */
async function htmlToText(html: string): Promise<string> {
  const wrapped = Buffer.concat([
    Buffer.from('Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
    Buffer.from(html, 'utf8'),
  ]);
  return (await simpleParser(wrapped, { keepCidLinks: true, skipTextToHtml: true })).text ?? '';
}

/**
 * Outlook without a separator line: "From: Name" then "Sent:" (or "Date:") on the next line, with
 * no <address> that email-reply-parser's own From: rule needs. Cut there before it runs.
 */
const OUTLOOK_HEADER_BLOCK = /^[ \t]*From:[^\n]*\n[ \t]*(?:Sent|Date):[^\n]*$/im;

/**
 * email-reply-parser's regexes backtrack badly on crafted text (and RE2, which it uses when
 * installed, is not installed here): 8,000 characters of "2026 from <a " on one line took 100 s,
 * 16,000 characters of "abc. x skrev y" lines 3 s. So it reads at most the first REPLY_HEAD_CHARS
 * of a mail, with lines longer than REPLY_LINE_CHARS (never a quote header or a signature) swapped
 * for short placeholders (keeping a leading `>`) and put back afterwards: under 100 ms at worst.
 */
const REPLY_HEAD_CHARS = 4_000;
const REPLY_LINE_CHARS = 400;
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/**
 * The text without its quoted reply chain and signature, by email-reply-parser
 * (`new EmailReplyParser().read(text)`: its fragments, getVisibleText()), after cutting at an
 * Outlook header block. A text longer than the head it reads keeps everything unless a quote or
 * signature was found in that head (the new part of a reply comes first). When nothing is left (a
 * mail that is only a quote or only a forward), the whole text.
 */
export function visibleText(text: string): string {
  const full = text.trim();
  const outlook = OUTLOOK_HEADER_BLOCK.exec(text);
  const candidate = outlook ? text.slice(0, outlook.index) : text;
  const truncated = candidate.length > REPLY_HEAD_CHARS;
  const head = truncated ? candidate.slice(0, REPLY_HEAD_CHARS) : candidate;

  const longLines: string[] = [];
  const masked = head
    .split('\n')
    .map((line) => {
      if (line.length <= REPLY_LINE_CHARS) return line;
      const quote = /^\s*>[>\s]*/.exec(line)?.[0] ?? ''; // a quoted line stays a quoted line
      return `${quote}\uE000${longLines.push(line.slice(quote.length)) - 1}\uE001`;
    })
    .join('\n');
  const email = new EmailReplyParser().read(masked);
  const stripped = email.getFragments().some((fragment) => fragment.isHidden() && (fragment.isQuoted() || fragment.isSignature()));
  if (truncated && !stripped) return candidate.trim() || full;
  const visible = email
    .getVisibleText()
    .replace(PLACEHOLDER, (_match, index: string) => longLines[Number(index)] ?? '')
    .trim();
  return visible || full;
}

// ---------------------------------------------------------------------------------------------
// HTML: an allow-list

/** cid: (an inline part of this mail) or a raster data: image. Anything else is a remote load. */
const SAFE_IMAGE_SOURCE = /^(?:cid:|data:image\/(?:png|jpe?g|gif|webp|bmp)[;,])/i;
const SAFE_LINK = /^(?:https?:|mailto:)/i;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup',
    'small', 'font', 'center', 'blockquote', 'pre', 'code', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img',
    'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  ],
  allowedAttributes: {
    '*': ['dir', 'lang'],
    a: ['href', 'title', 'name', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    font: ['color', 'face', 'size'],
    ol: ['start', 'type'],
    table: ['border', 'cellpadding', 'cellspacing', 'width', 'align'],
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'width', 'scope'],
    td: ['colspan', 'rowspan', 'align', 'valign', 'width'],
  },
  // no style or class: CSS can load remote images (background: url(…)) and restyle the page
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template'],
  transformTags: {
    a: (tagName, attribs) => {
      const href = (attribs.href ?? '').replace(/[\x00-\x20]+/g, '');
      const kept: sanitizeHtml.Attributes = {};
      if (attribs.title) kept.title = attribs.title;
      if (attribs.name) kept.name = attribs.name;
      if (SAFE_LINK.test(href)) {
        kept.href = href;
        kept.target = '_blank';
        kept.rel = 'noopener noreferrer nofollow';
      }
      return { tagName, attribs: kept };
    },
  },
  // an <img> whose source is not cid:/data:image goes entirely (tracking pixels, relative paths)
  exclusiveFilter: (frame) => frame.tag === 'img' && !SAFE_IMAGE_SOURCE.test((frame.attribs.src ?? '').trim()),
};

export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS).trim();
}

// ---------------------------------------------------------------------------------------------
// Attachments

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/json': 'json',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
  'image/svg+xml': 'svg',
  'image/tiff': 'tif',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/csv': 'csv',
  'text/calendar': 'ics',
  'text/rfc822-headers': 'txt',
  'message/rfc822': 'eml',
  'message/delivery-status': 'txt',
  'message/disposition-notification': 'txt',
};

/** The last path segment, control characters removed: a name, never a path. */
function safeFilename(name: string | undefined): string | null {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\x00-\x1f\x7f]/g, '').trim();
  return clean === '' || clean === '.' || clean === '..' ? null : clean;
}

function toAttachment(attachment: Attachment, index: number, maxBytes: number | undefined): MailAttachment {
  const contentType = (attachment.contentType || 'application/octet-stream').toLowerCase();
  const contentId = attachment.cid ?? attachment.contentId?.replace(/^<|>$/g, '') ?? null;
  const size = attachment.content.length;
  return {
    filename: safeFilename(attachment.filename) ?? `attachment-${index + 1}.${EXTENSIONS[contentType] ?? 'bin'}`,
    contentType,
    size,
    content: maxBytes !== undefined && size > maxBytes ? Buffer.alloc(0) : attachment.content,
    inline: contentId !== null && (attachment.related === true || attachment.contentDisposition === 'inline'),
    contentId: contentId || null,
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
