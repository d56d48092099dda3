import { fieldValidationError } from '../validation/parse';
import { currentActor, type Actor } from '../audit/actor';
import { COMMENT, TICKET } from '../uids';
import { historyService, settingsService } from '../services';
import { sourceForActor, statusAfterRequesterReply } from '../api/ticket/domain/ticket-rules';
import { queueCommentMail, type TicketForMail } from '../mail/ticket-mail';
import type { DocumentHook, StoredEntry } from './types';

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
 * staff reply is mailed to the requester, and the first one stamps the ticket's firstResponseAt; the
 * requester's own reply puts a ticket waiting on them back to work. */
export const commentHook: DocumentHook = async (strapi, call, next) => {
  if (call.action !== 'create') return next();
  const actor = currentActor(strapi);
  const data: Record<string, unknown> = { ...(call.params.data ?? {}) };
  data.authorType = authorTypeFor(actor, data.authorType);
  data.source = sourceForActor(actor, data.source);
  if (actor.type !== 'system') data.authorName = actor.name;
  if (actor.userId !== undefined) data.authorUser = actor.userId;
  call.params.data = data;

  return strapi.db.transaction(async () => {
    const created = (await next()) as StoredEntry;
    const comment = (await strapi.db.query(COMMENT).findOne({
      where: { id: created.id },
      select: ['id', 'body', 'isInternal', 'authorType', 'authorName'],
      populate: { ticket: true },
    })) as CommentRow | null;
    if (!comment?.ticket) {
      throw fieldValidationError('ticket', 'ticket is required');
    }

    await historyService(strapi).record(comment.ticket.id, actor, [
      {
        action: 'commented',
        fieldName: 'comments',
        newValue: `${comment.isInternal ? 'internal note' : 'public reply'} #${created.documentId}`,
      },
    ]);
    if (comment.authorType === 'staff' && !comment.isInternal) {
      if (!comment.ticket.firstResponseAt) {
        await strapi.db.query(TICKET).update({ where: { id: comment.ticket.id }, data: { firstResponseAt: new Date() } });
      }
      await queueCommentMail(strapi, comment.ticket, comment);
    }
    const byRequester = comment.authorType === 'requester' && !comment.isInternal;
    const reopenAs = byRequester
      ? statusAfterRequesterReply(comment.ticket.ticketStatus, (await settingsService(strapi).current()).reopenOnRequesterReply)
      : null;
    if (reopenAs) {
      await strapi.documents(TICKET).update({ documentId: comment.ticket.documentId, data: { ticketStatus: reopenAs } });
    }
    return created;
  });
};
