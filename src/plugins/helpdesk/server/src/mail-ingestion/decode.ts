/**
 * Parse stage, decoding: header lines into a lower-cased record with RFC 2047 words decoded,
 * Message-IDs, addresses and dates as the later stages use them. Pure.
 */
import { createHash } from 'node:crypto';
import type { AddressObject, EmailAddress, HeaderLines } from 'mailparser';
import { normalizeMailAddress } from '../validation/email-address';
import type { Address } from './types';

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
export function addressEntries(value: AddressObject | AddressObject[] | undefined, withNames = false): EmailAddress[] {
  if (!value) return [];
  const flatten = (entries: EmailAddress[]): EmailAddress[] => entries.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
  return flatten((Array.isArray(value) ? value : [value]).flatMap((object) => object.value)).filter(
    (entry) => entry.address?.trim() || (withNames && entry.name?.trim())
  );
}

export const isAddressObject = (value: unknown): value is AddressObject =>
  typeof value === 'object' && value !== null && Array.isArray((value as { value?: unknown }).value);

/**
 * The addresses of a header, as normalizeMailAddress makes them; one that is not an email address
 * is left out (a spammer's broken Cc never becomes a participant, nor reaches a validator).
 */
export function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  return addressEntries(value).flatMap((entry) => {
    const address = normalizeMailAddress(entry.address ?? '');
    return address ? [{ address, name: (entry.name ?? '').trim() }] : [];
  });
}

/** mailparser makes an unreadable Date header "now"; a mail whose date we cannot read has none. */
export function headerDate(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Headers a mail has (at least one of them); random bytes or a text file have none. */
const MAIL_HEADERS = new Set([
  'from', 'sender', 'to', 'cc', 'subject', 'date', 'message-id', 'received', 'return-path',
  'mime-version', 'content-type', 'reply-to', 'in-reply-to', 'references', 'delivered-to',
]);

/** RFC 5322 field-name: printable ASCII except the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

export function looksLikeMail(lines: HeaderLines): boolean {
  return lines.some(({ key }) => FIELD_NAME.test(key) && MAIL_HEADERS.has(key));
}

/**
 * Lower-cased header names → the first occurrence's value, unfolded, RFC 2047 encoded words
 * decoded (raw UTF-8 headers, RFC 6532, read as UTF-8). Structured headers stay as written
 * (`Return-Path: <>`, `Content-Type: multipart/report; report-type=…`), which is what the classify
 * stage reads. Built from the raw lines because mailparser's own header map folds List-* headers
 * into one `list` entry and turns addresses and dates into objects.
 */
export function headerRecord(lines: HeaderLines): Record<string, string> {
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
export function headerValues(lines: HeaderLines, name: string): string[] {
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
