import { fieldValidationError } from '../validation/parse';
import type { Core } from '@strapi/strapi';
import { resolveActor, type Actor } from '../audit/actor';
import type { HistoryChange } from '../domain/ticket-rules';
import { COMMENT_IS_RECORD, mayRewriteRecord, refused } from './record-protection';
import { COMMENT, TICKET } from '../../../shared/uids';
import { sourceForActor, statusAfterRequesterReply } from '../domain/ticket-rules';
import { queueReplyMail, type TicketForMail } from '../mail/ticket-mail';
import { holdReplyMail, replySetsStatus } from '../mail/reply-scope';
import type { DocumentCall, DocumentHook, Next, StoredEntry } from './types';
import { getService } from '../get-service';
import { touchTicket } from '../db/table';
import { asPartOfRequesterReply, notify } from '../notifications/notify';
import { findMentions } from '../notifications/mentions';
import { snippet } from '../notifications/words';
import { ACTIVE_AGENT_WHERE } from '../access/roles';
import { UP_USER } from '../../../shared/uids';

interface CommentRow {
  id: number;
  body: string;
  isInternal: boolean;
  authorType: string;
  authorName: string | null;
  ticket: (TicketForMail & { firstResponseAt: string | Date | null }) | null;
}

const authorTypeFor = (actor: Actor, requested: unknown): string => {
  if (actor.type === 'admin' || actor.type === 'agent') return 'staff';
  if (actor.type === 'requester') return 'requester';
  return typeof requested === 'string' ? requested : 'system';
};

/** Author fields come from who is writing; a new comment adds one history row to its ticket; a public
 * staff reply is mailed to the requester (by the reply action it is part of, when it is), and the first one stamps the ticket's firstResponseAt; the
 * requester's own reply puts a ticket waiting on them back to work. */
export const commentHook: DocumentHook = async (strapi, call, next) => {
  if (call.action === 'update' || call.action === 'delete') return changeRecordedComment(strapi, call, next);
  if (call.action !== 'create') return next();
  const actor = await resolveActor(strapi);
  const data: Record<string, unknown> = { ...(call.params.data ?? {}) };
  data.authorType = authorTypeFor(actor, data.authorType);
  data.source = sourceForActor(actor, data.source);
  if (actor.type !== 'system') data.authorName = actor.name;
  if (actor.userId !== undefined) data.authorUser = actor.userId;
  call.params.data = data;

  return strapi.db.transaction(async ({ trx }) => {
    const created = (await next()) as StoredEntry;
    const comment = (await strapi.db.query(COMMENT).findOne({
      where: { id: created.id },
      select: ['id', 'body', 'isInternal', 'authorType', 'authorName'],
      populate: { ticket: true },
    })) as CommentRow | null;
    if (!comment?.ticket) {
      throw fieldValidationError('ticket', 'ticket is required');
    }

    await getService(strapi, 'history').record(comment.ticket, actor, [
      {
        action: 'commented',
        fieldName: 'comments',
        newValue: `${comment.isInternal ? 'internal note' : 'public reply'} #${created.documentId}`,
      },
    ]);
    await touchTicket(strapi, trx, comment.ticket.id);
    if (comment.authorType === 'staff' && !comment.isInternal) {
      if (!comment.ticket.firstResponseAt) {
        await strapi.db.query(TICKET).update({ where: { id: comment.ticket.id }, data: { firstResponseAt: new Date() }, select: ['id'] });
      }
      // the first answer puts a new ticket to work (Helpdesk settings can turn this off), unless
      // the reply's own action sets the status ("Send and set Resolved": one move, not two)
      if (comment.ticket.ticketStatus === 'new' && !replySetsStatus() && (await getService(strapi, 'settings').current()).openOnFirstReply) {
        await strapi.documents(TICKET).update({ documentId: comment.ticket.documentId, data: { ticketStatus: 'open' } });
      }
      // within a reply action the action mails it, with its files and status; alone, it goes now
      const reply = { id: comment.id, body: comment.body, authorName: comment.authorName };
      if (!holdReplyMail(comment.ticket.id, reply)) await queueReplyMail(strapi, { ticketId: comment.ticket.id, comment: reply, status: null });
    }
    const byRequester = comment.authorType === 'requester' && !comment.isInternal;
    const reopenAs = byRequester
      ? statusAfterRequesterReply(comment.ticket.ticketStatus, (await getService(strapi, 'settings').current()).reopenOnRequesterReply)
      : null;
    if (reopenAs) {
      await asPartOfRequesterReply(() => strapi.documents(TICKET).update({ documentId: comment.ticket!.documentId, data: { ticketStatus: reopenAs } }));
    }
    if (byRequester) {
      const who = comment.authorName || 'The requester';
      const text = `${who} replied${reopenAs ? ' and reopened the ticket' : ''}: "${snippet(comment.body)}"`;
      await notify(strapi, { kind: 'customer_reply', ticketId: comment.ticket.id, text, source: `comment:${comment.id}` });
    }
    if (comment.authorType === 'staff' && comment.isInternal && comment.body.includes('@')) await notifyMentioned(strapi, comment);
    return created;
  });
};

/** The agents an internal note mentions ("@Sam Support") are told, the writer excepted. */
async function notifyMentioned(strapi: Core.Strapi, comment: CommentRow): Promise<void> {
  if (!comment.ticket) return;
  const agents = (await strapi.db.query(UP_USER).findMany({
    where: ACTIVE_AGENT_WHERE,
    select: ['id', 'username', 'email', 'blocked'],
    populate: { role: { select: ['type'] } },
  })) as Array<{ id: number; username: string; email: string; blocked: boolean | null; role: { type: string } | null }>;
  const mentioned = findMentions(comment.body, agents);
  if (mentioned.length === 0) return;
  const text = `${comment.authorName || 'A colleague'} mentioned you: "${snippet(comment.body)}"`;
  await notify(strapi, { kind: 'mention', ticketId: comment.ticket.id, text, source: `comment:${comment.id}`, recipients: mentioned });
}

interface StoredComment {
  id: number;
  documentId: string;
  body: string;
  isInternal: boolean;
  ticket: { id: number } | null;
}

const loadComment = async (strapi: Core.Strapi, documentId: string) =>
  (await strapi.db.query(COMMENT).findOne({
    where: { documentId },
    select: ['id', 'documentId', 'body', 'isInternal'],
    populate: { ticket: { select: ['id'] } },
  })) as StoredComment | null;

const clip = (text: string): string => (text.length > 2000 ? `${text.slice(0, 1999)}\u2026` : text);

/**
 * A comment is part of its ticket's record: rewriting, moving or deleting one is refused for
 * everybody but super admins (and server code), whose change goes into the ticket's history in the
 * same transaction: the old text, or which ticket lost it.
 */
async function changeRecordedComment(strapi: Core.Strapi, call: DocumentCall, next: Next): Promise<unknown> {
  if (!mayRewriteRecord(strapi)) throw refused(COMMENT_IS_RECORD);
  const documentId = call.params.documentId;
  if (!documentId) return next();
  const actor = await resolveActor(strapi);
  return strapi.db.transaction(async () => {
    const before = await loadComment(strapi, documentId);
    const result = await next();
    if (!before) return result;
    const history = getService(strapi, 'history');
    const label = `#${before.documentId}`;
    if (call.action === 'delete') {
      if (before.ticket) {
        await history.record(before.ticket.id, actor, [
          { action: 'comment_deleted', fieldName: 'comments', oldValue: clip(before.body), newValue: null, note: label },
        ]);
      }
      return result;
    }
    const after = await loadComment(strapi, documentId);
    if (!after) return result;
    const onTicket: HistoryChange[] = [];
    if (after.body !== before.body) {
      onTicket.push({ action: 'comment_edited', fieldName: 'body', oldValue: clip(before.body), newValue: clip(after.body), note: label });
    }
    if (Boolean(after.isInternal) !== Boolean(before.isInternal)) {
      onTicket.push({ action: 'comment_edited', fieldName: 'isInternal', oldValue: String(Boolean(before.isInternal)), newValue: String(Boolean(after.isInternal)), note: label });
    }
    if (before.ticket && after.ticket?.id !== before.ticket.id) {
      await history.record(before.ticket.id, actor, [
        { action: 'comment_detached', fieldName: 'comments', oldValue: label, newValue: null, note: clip(before.body) },
      ]);
    }
    const ticketId = after.ticket?.id ?? before.ticket?.id;
    if (ticketId && onTicket.length > 0) await history.record(ticketId, actor, onTicket);
    return result;
  });
}
