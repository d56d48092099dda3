/**
 * A ticket's Cc list: the people besides the requester who get its public replies and status mails
 * (like reply-all), and whose own mails are comments on the requester's side. The one Cc rule: the
 * ticket hook applies it to every write (the ticket view, mail ingestion, a super admin's Content
 * Manager edit); the back-office validator and the admin panel read its cap.
 *
 * Stored lower-cased, each address once, never the requester's own, never one of the helpdesk's
 * own addresses (a mail to ourselves would loop), at most MAX_CC of them.
 */
import { isEmailAddress } from '../validation/email-address';

export const MAX_CC = 20;

export type CcCheck = { ok: true; addresses: string[] } | { ok: false; error: string };

/** A stored value as a list (null, or anything else than a list of text, is no Cc). */
export const ccList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * Checks a Cc list someone asked for: every entry an address (trimmed, lower-cased), none of our
 * own, at most MAX_CC; repeats and the requester's own address are dropped, not refused.
 */
export function checkCcList(value: unknown, requester: string | null | undefined, isOwn: (address: string) => boolean): CcCheck {
  if (value === null || value === undefined) return { ok: true, addresses: [] };
  if (!Array.isArray(value)) return { ok: false, error: 'ccAddresses must be a list of email addresses' };
  const self = requester?.trim().toLowerCase();
  const addresses: string[] = [];
  for (const item of value) {
    const address = typeof item === 'string' ? item.trim().toLowerCase() : '';
    if (!isEmailAddress(address)) return { ok: false, error: `${typeof item === 'string' ? `"${item.slice(0, 60)}"` : 'an entry'} is not a valid email address` };
    if (isOwn(address)) return { ok: false, error: `${address} is the helpdesk's own address and cannot be on Cc` };
    if (address !== self && !addresses.includes(address)) addresses.push(address);
  }
  if (addresses.length > MAX_CC) return { ok: false, error: `a ticket has at most ${MAX_CC} addresses on Cc` };
  return { ok: true, addresses };
}

/** Cc as history shows it: "ann@example.com, bob@example.com" (null when there is none). */
export const ccText = (value: unknown): string | null => ccList(value).join(', ') || null;
