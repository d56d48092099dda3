import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { COMMENT, INBOUND_EMAIL, OUTBOUND_EMAIL, TICKET } from '../../../shared/uids';
import { runAs, SYSTEM_ACTOR, type Actor } from '../audit/actor';
import { withInboundMail } from '../mail/inbound-context';
import { withReplyScope } from '../mail/reply-scope';
import { queueReplyMail } from '../mail/ticket-mail';
import { withImagesAsReceived } from '../domain/image-processing';
import { deniedTypeReason, executableKind, formatBytes } from '../domain/attachment-policy';
import type { MultipartFile } from '../domain/multipart-files';
import type { Classification, FetchedMail, MailAttachment, Outcome, ParsedMail } from './types';
import type { TicketMatch } from './thread';
import { MailParseError } from './parse';
import { CONVERSATION_ROLES, requesterActor, staffActor, type Sender } from './sender';
import { addMailCc, ccOfNewTicket, mailParticipants } from './cc-list';
import { dedupeKeyOf, judge, recordedMails, type Seen } from './dedupe';
import { getService } from '../get-service';

/** What the apply stage did with one mail. */
export interface Applied {
  outcome: Outcome;
  ticketId: number | null;
  commentId: number | null;
  /** For the log and the dry run: "new ticket TKT-…", "comment on TKT-…", … */
  summary: string;
  /** Its inbound record. */
  recordId: number;
}

export interface TicketDefaults {
  priority: string;
  category: string;
}

interface SkippedPart {
  filename: string;
  size: number;
  reason: string;
}

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function splitName(name: string | undefined): { firstName?: string; lastName?: string } {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return {};
  return { firstName: truncate(parts[0], 100), lastName: parts.length > 1 ? truncate(parts.slice(1).join(' '), 100) : undefined };
}

/** The body a comment or ticket shows: the new text, or a note when the mail had none. */
const bodyOf = (mail: ParsedMail): string => truncate(mail.visibleText.trim() || mail.text.trim() || '(no text)', 20000);

/**
 * Attachments and inline images through the upload plugin, with the limits staff uploads have;
 * a part over the limit or of a refused type is skipped and listed (name, size, why).
 */
async function storeAttachments(
  strapi: Core.Strapi,
  parts: MailAttachment[],
  target: { ticketId: number; ticketDocumentId: string; commentId?: number; commentDocumentId?: string }
): Promise<SkippedPart[]> {
  if (parts.length === 0) return [];
  const uploads = getService(strapi, 'attachmentUpload');
  const skipped: SkippedPart[] = [];
  const accepted: MultipartFile[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-mail-'));
  try {
    for (const part of parts) {
      const reason =
        part.size > uploads.limits.maxFileBytes
          ? `over the ${formatBytes(uploads.limits.maxFileBytes)} limit`
          : deniedTypeReason([part.filename], [part.contentType]) ?? (executableKind(part.content.subarray(0, 8)) ? 'an executable' : null);
      if (reason) {
        skipped.push({ filename: part.filename, size: part.size, reason });
        continue;
      }
      const filepath = path.join(dir, `${accepted.length}-${randomUUID()}`);
      fs.writeFileSync(filepath, part.content);
      accepted.push({ filepath, originalFilename: part.filename, mimetype: part.contentType, size: part.size });
    }
    const relations = { ticket: target.ticketId, ...(target.commentId !== undefined ? { comment: target.commentId } : {}) };
    // images are kept as sent (no re-encoding or resized copies: each decodes the whole image inside
    // this transaction); all files stored in one go, and when the upload plugin refuses one (it
    // stores all or none), one at a time, so that the refused part is skipped, not the mail
    await withImagesAsReceived(async () => {
      const all = await uploads.store(accepted).catch(() => null);
      if (all) {
        await uploads.link(all, relations).catch(async (error: unknown) => {
          await uploads.discard(all);
          throw error;
        });
        return;
      }
      for (const file of accepted) {
        try {
          await uploads.attach({ ticketDocumentId: target.ticketDocumentId, commentDocumentId: target.commentDocumentId, files: [file] });
        } catch (error) {
          skipped.push({ filename: file.originalFilename ?? 'attachment', size: file.size, reason: error instanceof Error ? error.message : String(error) });
        }
      }
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return skipped;
}

/** An internal note listing the parts that were not stored, so staff know to ask for them. */
async function noteSkipped(strapi: Core.Strapi, ticketDocumentId: string, skipped: SkippedPart[]): Promise<void> {
  if (skipped.length === 0) return;
  const lines = skipped.map((part) => `- ${part.filename} (${formatBytes(part.size)}): ${part.reason}`);
  await runAs(SYSTEM_ACTOR, () =>
    strapi.documents(COMMENT).create({
      data: {
        ticket: ticketDocumentId,
        body: `Attachments not stored from the requester's mail:\n${lines.join('\n')}`,
        isInternal: true,
        authorType: 'system',
        authorName: 'Mail ingestion',
        source: 'email',
      },
    })
  );
}

/** What staff read on a ticket whose mail gave no address to answer; nothing is mailed to it. */
export const NO_REPLY_ADDRESS = 'No reply address';

async function noteNoReplyAddress(strapi: Core.Strapi, ticketDocumentId: string, mail: ParsedMail): Promise<void> {
  const shown = mail.fromHeader ? `From: ${mail.fromHeader}` : 'no From, Reply-To or Sender';
  await runAs(SYSTEM_ACTOR, () =>
    strapi.documents(COMMENT).create({
      data: {
        ticket: ticketDocumentId,
        body: `${NO_REPLY_ADDRESS}: the mail names no address we can answer (${shown}). Nothing is mailed to the requester; reach them another way, or put their address on the ticket.`,
        isInternal: true,
        authorType: 'system',
        authorName: 'Mail ingestion',
        source: 'email',
      },
    })
  );
}

async function createTicket(strapi: Core.Strapi, mail: ParsedMail, defaults: TicketDefaults) {
  const { firstName, lastName } = splitName(mail.from?.name);
  const ccAddresses = await ccOfNewTicket(strapi, mail);
  return runAs(requesterActor(mail), () =>
    strapi.documents(TICKET).create({
      data: {
        subject: truncate(mail.subject.trim() || '(no subject)', 200),
        description: truncate(mail.text.trim(), 20000),
        email: mail.from?.address,
        firstName,
        lastName,
        source: 'email',
        isGuest: true,
        ccAddresses,
        priority: defaults.priority as 'medium',
        category: defaults.category as 'support',
      },
    })
  );
}

/**
 * A mail whose sender may not write into the conversation becomes an internal note by the system:
 * shown to staff only, mailed to nobody, and no status change (only a requester's reply reopens).
 */
function internalNote(sender: Sender, address: string): { heading: string; authorName: string; summary: string } | null {
  switch (sender.role) {
    case 'unknown':
      return { heading: `From an unknown sender (${address}), not shown to the requester:`, authorName: `Unknown sender <${address}>`, summary: 'unknown sender' };
    case 'unverified_staff':
      return {
        heading: `From an unverified sender (${address} is a staff address, but ${sender.verification}), not shown to the requester:`,
        authorName: `Unverified sender <${address}>`,
        summary: 'unverified sender',
      };
    case 'own':
      return { heading: `From our own address (${address}): a mail loop or a spoof, not shown to the requester:`, authorName: `Own address <${address}>`, summary: 'our own address' };
    default:
      return null;
  }
}

async function addComment(strapi: Core.Strapi, mail: ParsedMail, match: TicketMatch, sender: Sender) {
  const address = mail.from?.address ?? 'unknown address';
  const note = internalNote(sender, address);
  const actor: Actor = note ? SYSTEM_ACTOR : sender.role === 'staff' ? await staffActor(strapi, address) : requesterActor(mail);
  const body = note ? `${note.heading}\n\n${bodyOf(mail)}` : bodyOf(mail);
  return runAs(actor, () =>
    strapi.documents(COMMENT).create({
      data: {
        // by id: the ticket is known, no documentId to look up (nor a default locale)
        ticket: match.ticketId,
        body: truncate(body, 50000),
        isInternal: note !== null,
        // verified staff write as staff; requesters and Cc'd participants as the requester side
        authorType: sender.role === 'staff' ? 'staff' : note ? 'system' : 'requester',
        authorName: note ? note.authorName : mail.from?.name || address,
        source: 'email',
        messageId: mail.messageId,
      },
    })
  );
}

const describeSender = (sender: Sender): string => {
  const note = internalNote(sender, '');
  if (!note) return sender.role === 'staff' ? `staff comment (${sender.verification})` : 'comment';
  return `internal note (${note.summary}${sender.verification ? `: ${sender.verification}` : ''})`;
};

/** A delivery failure report about one of our mails marks that mail failed. */
async function recordBounce(strapi: Core.Strapi, bounceOf: string, mail: ParsedMail): Promise<{ ticketId: number | null } | null> {
  const bounced = (await strapi.db.query(OUTBOUND_EMAIL).findOne({
    where: { messageId: bounceOf },
    select: ['id'],
    populate: { ticket: { select: ['id'] } },
  })) as { id: number; ticket: { id: number } | null } | null;
  if (!bounced) return null;
  await strapi.db.query(OUTBOUND_EMAIL).update({
    where: { id: bounced.id },
    data: { deliveryStatus: 'failed', lockedUntil: null, lastError: truncate(`bounced: ${mail.subject} (${mail.from?.address ?? 'no sender'})`, 2000) },
  });
  return { ticketId: bounced.ticket?.id ?? null };
}

export interface ApplyInput {
  fetched: FetchedMail | null;
  mail: ParsedMail;
  classification: Classification;
  match: TicketMatch | null;
  /** Who the sender is to the matched ticket (the sender stage); null without a match. */
  sender: Sender | null;
  /** The mail is one of ours coming back (its Message-ID is in the outbox). */
  own: boolean;
  defaults: TicketDefaults;
  /** What the dedupe stage found, when the caller looked it up already (a batch does, for all its mails at once). */
  seen?: Seen;
}

/** The inbound record every mail leaves (what happened to it), written with the change it caused. */
async function record(
  strapi: Core.Strapi,
  input: ApplyInput,
  applied: Omit<Applied, 'recordId'>,
  extra: { matchedBy?: string; skipped?: SkippedPart[]; participants?: string[]; reusedMessageId?: boolean; note?: string | null }
): Promise<Applied> {
  const { mail, fetched, classification } = input;
  const applies = applied.outcome !== 'ignored_duplicate';
  const notes = [
    extra.note,
    extra.reusedMessageId ? `Message-ID ${mail.messageId} was used before by a different mail: ingested as a new mail` : null,
    applies && !mail.from ? `${NO_REPLY_ADDRESS}: ${mail.fromHeader ? `From: ${mail.fromHeader}` : 'no From'}` : null,
    mail.from && mail.fromSource !== 'from' ? `address taken from ${mail.fromSource} (From: ${mail.fromHeader || 'none'})` : null,
  ].filter(Boolean);
  const created = (await strapi.db.query(INBOUND_EMAIL).create({
    data: {
      messageId: mail.messageId,
      dedupeKey: applies ? dedupeKeyOf(mail) : null,
      contentHash: mail.contentHash,
      reusedMessageId: Boolean(extra.reusedMessageId),
      note: notes.length > 0 ? truncate(notes.join('; '), 5000) : null,
      outcome: applied.outcome,
      fromAddress: mail.from?.address ?? null,
      fromName: mail.from?.name ? truncate(mail.from.name, 200) : null,
      subject: truncate(mail.subject, 998),
      receivedAt: mail.date,
      automatic: classification.automatic,
      reasons: classification.reasons,
      matchedBy: extra.matchedBy ?? null,
      participants: extra.participants ?? [],
      references: [...mail.inReplyTo, ...mail.references],
      textBody: mail.text,
      htmlBody: mail.safeHtml,
      skippedAttachments: extra.skipped?.length ? extra.skipped : null,
      folder: fetched?.folder ?? null,
      uid: fetched?.uid ?? null,
      uidValidity: fetched?.uidValidity ?? null,
      ticket: applied.ticketId,
      comment: applied.commentId,
    },
    // the query engine reads the row back after the insert: only its id, not the bodies
    select: ['id'],
  })) as { id: number };
  return { ...applied, recordId: created.id };
}

/** The mail's own, ingested before, or a reuse of its Message-ID: looked up when the caller did not. */
async function seenOf(strapi: Core.Strapi, input: ApplyInput): Promise<Seen> {
  return input.seen ?? judge(await recordedMails(strapi, [input.mail]), input.mail);
}

/**
 * Records a mail that another run applied between our look-up and our insert (the unique
 * dedupeKey refused ours): ignored, with the reason, in the caller's (new) transaction.
 */
export async function recordConcurrentDuplicate(strapi: Core.Strapi, input: ApplyInput): Promise<Applied> {
  const seen = await seenOf(strapi, { ...input, seen: undefined });
  return record(
    strapi,
    input,
    { outcome: 'ignored_duplicate', ticketId: seen.duplicateOf?.ticketId ?? null, commentId: null, summary: `ignored: ${input.mail.messageId} was ingested concurrently` },
    { note: `ignored: the same mail was ingested concurrently${seen.duplicateOf ? ` (inbound #${seen.duplicateOf.id})` : ''}` }
  );
}

/**
 * The apply stage: one mail becomes a ticket, a comment, a bounce record or nothing (a duplicate,
 * our own mail coming back), with its inbound record, all in the caller's transaction.
 */
export async function applyMail(strapi: Core.Strapi, input: ApplyInput): Promise<Applied> {
  const { mail, classification, match } = input;

  const seen = await seenOf(strapi, input);
  const duplicate = seen.duplicateOf;
  if (duplicate || input.own) {
    return record(
      strapi,
      input,
      {
        outcome: 'ignored_duplicate',
        ticketId: duplicate?.ticketId ?? null,
        commentId: null,
        summary: input.own ? 'ignored: our own mail came back' : `ignored: ${mail.messageId} was ingested before (same content)`,
      },
      { note: input.own ? 'ignored: our own mail came back' : `ignored: the same mail (Message-ID and content) as inbound #${duplicate?.id}` }
    );
  }
  const reused = { reusedMessageId: seen.reusedMessageId };
  const reusedLine = seen.reusedMessageId ? ' (its Message-ID was reused: a new mail)' : '';

  if (classification.bounceOf) {
    const bounce = await recordBounce(strapi, classification.bounceOf, mail);
    if (bounce) {
      return record(strapi, input, { outcome: 'bounce_recorded', ticketId: bounce.ticketId, commentId: null, summary: `bounce of our mail ${classification.bounceOf}${reusedLine}` }, reused);
    }
  }

  return withInboundMail({ messageId: mail.messageId, automatic: classification.automatic }, async () => {
    if (match) {
      const sender = input.sender;
      if (!sender) throw new Error(`no sender role for the mail matched to ticket ${match.ticketId}`);
      // one reply action, as in the REST reply: a staff reply's mail waits for its files (and goes to the Cc it adds)
      const { result: { comment, skipped }, pending } = await withReplyScope(async () => {
        const created = await addComment(strapi, mail, match, sender);
        await addMailCc(strapi, match, mail, sender);
        return { comment: created, skipped: await storeAttachments(strapi, mail.attachments, {
          ticketId: match.ticketId,
          ticketDocumentId: match.documentId,
          commentId: Number(created.id),
          commentDocumentId: created.documentId,
        }) };
      });
      if (pending) await queueReplyMail(strapi, pending);
      await noteSkipped(strapi, match.documentId, skipped);
      const applied = {
        outcome: 'comment_added' as const,
        ticketId: match.ticketId,
        commentId: Number(comment.id),
        summary: `${describeSender(sender)} on ${match.ticketNumber} (matched by ${match.via})${reusedLine}`,
      };
      const participants = CONVERSATION_ROLES.has(sender.role) ? await mailParticipants(strapi, mail) : [];
      return record(strapi, input, applied, { matchedBy: match.via, skipped, participants, ...reused });
    }

    const ticket = await createTicket(strapi, mail, input.defaults);
    if (!mail.from) await noteNoReplyAddress(strapi, ticket.documentId, mail);
    const skipped = await storeAttachments(strapi, mail.attachments, { ticketId: Number(ticket.id), ticketDocumentId: ticket.documentId });
    await noteSkipped(strapi, ticket.documentId, skipped);
    const applied = {
      outcome: 'ticket_created' as const,
      ticketId: Number(ticket.id),
      commentId: null,
      summary: `new ticket ${ticket.ticketNumber}${mail.from ? '' : ` (${NO_REPLY_ADDRESS.toLowerCase()})`}${reusedLine}${classification.automatic ? ` (automatic mail, no auto-reply: ${classification.reasons.join('; ')})` : ''}`,
    };
    return record(strapi, input, applied, { skipped, participants: await mailParticipants(strapi, mail), ...reused });
  });
}

/** The raw mail as a media file staff can download, when the upload limit allows; null otherwise. */
async function storeRawFile(strapi: Core.Strapi, fetched: FetchedMail): Promise<number | null> {
  if (fetched.source.length > getService(strapi, 'attachmentUpload').limits.maxFileBytes) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-quarantine-'));
  try {
    const filepath = path.join(dir, `mail-${fetched.uid}.eml`);
    fs.writeFileSync(filepath, fetched.source);
    const [file] = (await strapi.plugin('upload').service('upload').upload({
      data: {},
      files: { filepath, originalFilename: `mail-${fetched.folder}-${fetched.uid}.eml`, mimetype: 'message/rfc822', size: fetched.source.length },
    })) as Array<{ id: number }>;
    return file.id;
  } catch (error) {
    strapi.log.warn(`[ingest] could not store quarantined mail ${fetched.uid} as a file (its source is kept in the record): ${String(error)}`);
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A mail that failed a stage: kept raw with the error (the source in the record for re-processing,
 * and as an .eml file when it fits the upload limit), so nothing is lost. */
export async function quarantine(strapi: Core.Strapi, fetched: FetchedMail, messageId: string | null, error: unknown): Promise<void> {
  const file = await storeRawFile(strapi, fetched);
  await strapi.db.query(INBOUND_EMAIL).create({
      data: {
        messageId: messageId ?? (error instanceof MailParseError ? error.messageId : null) ?? `<uid-${fetched.uidValidity}-${fetched.uid}@quarantine.invalid>`,
        dedupeKey: null,
        outcome: 'quarantined',
        error: truncate(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 5000),
        raw: file,
        rawSource: fetched.source.toString('base64'),
        folder: fetched.folder,
        uid: fetched.uid,
        uidValidity: fetched.uidValidity,
      },
    });
}
