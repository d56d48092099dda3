import { fieldValidationError } from '../validation/parse';
import { currentActor } from '../audit/actor';
import { ATTACHMENT } from '../uids';
import { historyService } from '../services';
import type { DocumentHook, StoredEntry } from './types';

interface AttachmentRow {
  id: number;
  filename: string | null;
  ticket: { id: number } | null;
  comment: { id: number; ticket: { id: number } | null } | null;
  file: { name: string; size: number; mime: string } | null;
}

/** File facts come from the uploaded media; a new attachment adds one history row to its ticket
 * (the comment's ticket when only a comment is given). */
export const attachmentHook: DocumentHook = async (strapi, call, next) => {
  if (call.action !== 'create') return next();
  const actor = currentActor(strapi);
  const data: Record<string, unknown> = { ...(call.params.data ?? {}) };
  data.uploadedByType = actor.type;
  data.uploadedByName = actor.name;
  call.params.data = data;

  return strapi.db.transaction(async () => {
    const created = (await next()) as StoredEntry;
    const attachment = (await strapi.db.query(ATTACHMENT).findOne({
      where: { id: created.id },
      populate: {
        ticket: { select: ['id'] },
        comment: { select: ['id'], populate: { ticket: { select: ['id'] } } },
        file: { select: ['name', 'size', 'mime'] },
      },
    })) as AttachmentRow | null;
    const ticketId = attachment?.ticket?.id ?? attachment?.comment?.ticket?.id;
    if (!attachment || !ticketId) {
      throw fieldValidationError('ticket', 'ticket is required');
    }

    const facts: Record<string, unknown> = {};
    if (!attachment.ticket) facts.ticket = ticketId;
    if (attachment.file) {
      facts.filename = attachment.filename ?? attachment.file.name;
      facts.mimeType = attachment.file.mime;
      // Strapi stores media sizes in KB
      facts.size = Math.round(Number(attachment.file.size) * 1024);
    }
    if (Object.keys(facts).length > 0) {
      await strapi.db.query(ATTACHMENT).update({ where: { id: created.id }, data: facts });
    }
    await historyService(strapi).record(ticketId, actor, [
      { action: 'attachment_added', fieldName: 'attachments', newValue: String(facts.filename ?? attachment.filename ?? created.documentId) },
    ]);
    return created;
  });
};
