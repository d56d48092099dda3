/**
 * When a mail is one we ingested before: the same Message-ID AND the same content (content-hash.ts).
 * Senders reuse Message-IDs for different mails (Jira, ServiceNow, mail tools, test mails); such a
 * mail is ingested as the new mail it is and its record says the ID was reused. The inbound record
 * of every applied mail holds `dedupeKey` (unique): `<content hash> <Message-ID>`, so two instances
 * can never apply the same mail twice. Records from before content hashes (dedupeKey = Message-ID,
 * no hash) count as the same mail when subject and Date agree: a mail ingested before an upgrade and
 * read again after it (a crash, a new UIDVALIDITY) is still recognised.
 */
import type { Core } from '@strapi/strapi';
import { INBOUND_EMAIL } from '../../../shared/uids';
import type { ParsedMail } from './types';

interface RecordedMail {
  id: number;
  contentHash: string | null;
  subject: string | null;
  receivedAt: string | Date | null;
  ticketId: number | null;
}

/** The applied records of a batch's Message-IDs, by Message-ID; the batch adds what it applies. */
export type RecordedMails = Map<string, RecordedMail[]>;

/** What the dedupe stage found for one mail. */
export interface Seen {
  /** The record of the same mail ingested before, or null. */
  duplicateOf: { id: number; ticketId: number | null } | null;
  /** Another mail with this Message-ID was ingested before (and this one is not it). */
  reusedMessageId: boolean;
}

const MAX_KEY = 998;

export const dedupeKeyOf = (mail: ParsedMail): string => `${mail.contentHash} ${mail.messageId}`.slice(0, MAX_KEY);

/** One statement for a batch: the applied records (dedupeKey set) of these mails' Message-IDs. */
export async function recordedMails(strapi: Core.Strapi, mails: ParsedMail[]): Promise<RecordedMails> {
  const recorded: RecordedMails = new Map();
  const ids = [...new Set(mails.map((mail) => mail.messageId))];
  if (ids.length === 0) return recorded;
  const rows = (await strapi.db.query(INBOUND_EMAIL).findMany({
    where: { messageId: { $in: ids }, dedupeKey: { $notNull: true } },
    select: ['id', 'messageId', 'contentHash', 'subject', 'receivedAt'],
    populate: { ticket: { select: ['id'] } },
    orderBy: { id: 'asc' },
  })) as Array<Omit<RecordedMail, 'ticketId'> & { messageId: string; ticket: { id: number } | null }>;
  for (const row of rows) {
    const { messageId, ticket, ...rest } = row;
    recorded.set(messageId, [...(recorded.get(messageId) ?? []), { ...rest, ticketId: ticket?.id ?? null }]);
  }
  return recorded;
}

const time = (value: string | Date | null): number | null => (value === null ? null : new Date(value).getTime());

function sameMail(row: RecordedMail, mail: ParsedMail): boolean {
  if (row.contentHash !== null) return row.contentHash === mail.contentHash;
  // a record from before content hashes: what it kept of the headers must agree
  const subject = mail.subject.length > 998 ? `${mail.subject.slice(0, 997)}…` : mail.subject; // as record() stores it
  return (row.subject ?? '') === subject && time(row.receivedAt) === (mail.date ? mail.date.getTime() : null);
}

export function judge(recorded: RecordedMails, mail: ParsedMail): Seen {
  const rows = recorded.get(mail.messageId) ?? [];
  const same = rows.find((row) => sameMail(row, mail));
  return { duplicateOf: same ? { id: same.id, ticketId: same.ticketId } : null, reusedMessageId: !same && rows.length > 0 };
}

/** A mail the batch just applied: later mails of the batch see it. */
export function remember(recorded: RecordedMails, mail: ParsedMail, id: number, ticketId: number | null): void {
  const row: RecordedMail = { id, contentHash: mail.contentHash, subject: mail.subject, receivedAt: mail.date, ticketId };
  recorded.set(mail.messageId, [...(recorded.get(mail.messageId) ?? []), row]);
}
