/**
 * What makes two fetched mails the same mail, as a hash: the headers a reader sees (From, To, Cc,
 * Subject, Date, and Content-Type, which says how the body reads) and the body. Transport headers
 * (Received, Delivered-To, Return-Path, Authentication-Results, DKIM/ARC, X-*) are left out: the same
 * mail delivered twice, or re-read after a crash or a new UIDVALIDITY, gets the same hash; another
 * mail under a reused Message-ID does not. Pure and linear in the size of the source.
 */
import { createHash } from 'node:crypto';

const CONTENT_HEADERS = new Set(['from', 'to', 'cc', 'subject', 'date', 'content-type']);

/** Where the header section ends: the first empty line (CRLF or LF), or the end of the source. */
function headerEnd(source: Buffer): { end: number; bodyStart: number } {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = source.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { end: lf, bodyStart: lf + 2 };
  return { end: source.length, bodyStart: source.length };
}

/** `sha256` hex of the mail's content (see the module's comment). */
export function mailContentHash(source: Buffer): string {
  const { end, bodyStart } = headerEnd(source);
  const hash = createHash('sha256');
  // unfolded header lines; each wanted field as `name:value` with whitespace runs collapsed
  const lines = source.subarray(0, end).toString('latin1').replace(/\r?\n(?=[ \t])/g, ' ').split(/\r?\n/);
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!CONTENT_HEADERS.has(name)) continue;
    hash.update(`${name}:${line.slice(colon + 1).split(/[ \t]+/).filter(Boolean).join(' ')}\n`);
  }
  hash.update('\n');
  // the body with LF line ends and no trailing whitespace (relays differ in both)
  const body = source.subarray(bodyStart).toString('latin1').replace(/\r\n/g, '\n');
  let last = body.length;
  while (last > 0 && /\s/.test(body[last - 1])) last -= 1;
  hash.update(body.slice(0, last), 'latin1');
  return hash.digest('hex');
}
