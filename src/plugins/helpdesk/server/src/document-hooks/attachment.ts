import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { file as fileUtils } from '@strapi/utils';
import { fieldValidationError } from '../validation/parse';
import { resolveActor } from '../audit/actor';
import { ATTACHMENT, TICKET, UPLOAD_FILE } from '../../../shared/uids';
import { isPostgres, tableIn, touchTicket } from '../db/table';
import { fileContentRefusal, storedFileHead } from '../domain/file-content';
import { API_UPLOADER_ATTRIBUTE, freshUpload, restCaller, type FreshUpload } from '../domain/file-ownership';
import type { DocumentHook, StoredEntry } from './types';
import { getService } from '../get-service';

interface TicketRef {
  id: number;
  ticketNumber: string | null;
}

interface AttachmentRow {
  id: number;
  filename: string | null;
  ticket: TicketRef | null;
  comment: { id: number; ticket: TicketRef | null } | null;
  file: { id: number; name: string; size: number | string; mime: string } | null;
}

interface FileRow {
  id: number;
  name: string;
  ext: string | null;
  mime: string;
  url: string;
  provider: string;
  [API_UPLOADER_ATTRIBUTE]: { id: number } | null;
}

/** The attachment with its ticket and comment, and its file unless the caller knows it already. */
const loadAttachment = async (strapi: Core.Strapi, id: number, withFile = true) =>
  (await strapi.db.query(ATTACHMENT).findOne({
    where: { id },
    populate: {
      ticket: { select: ['id', 'ticketNumber'] },
      comment: { select: ['id'], populate: { ticket: { select: ['id', 'ticketNumber'] } } },
      ...(withFile ? { file: { select: ['id', 'name', 'size', 'mime'] } } : {}),
    },
  })) as AttachmentRow | null;

/** The stored attachment and its ticket; a comment given with it must be on that same ticket. */
function withTicket(attachment: AttachmentRow | null): { attachment: AttachmentRow; ticket: TicketRef } {
  const ticket = attachment?.ticket ?? attachment?.comment?.ticket;
  if (!attachment || !ticket) throw fieldValidationError('ticket', 'ticket is required');
  if (attachment.comment && attachment.comment.ticket?.id !== ticket.id) {
    throw fieldValidationError('comment', 'comment must be a comment on the same ticket');
  }
  return { attachment, ticket };
}

/** The first bytes of a media library file; a file whose content cannot be read is not attached unchecked. */
async function storedHead(strapi: Core.Strapi, file: FileRow): Promise<Buffer> {
  try {
    return await storedFileHead(strapi, file);
  } catch (error) {
    strapi.log.warn(`[attachments] could not read file ${file.id} (${file.url}) to check its content: ${String(error)}`);
    throw fieldValidationError('file', `"${file.name}": its content could not be read to check it; upload it again`);
  }
}

/**
 * The one place that decides whether an attachment may point at a media file, whatever the
 * origin: a REST caller only at a file it uploaded (in this request, or through /api/upload as
 * the same user); nobody at a refused type, by name or content; and no file belongs to two
 * attachments. Ownership is checked first, so that a caller learns nothing about other people's files.
 */
async function assertFileMayBeAttached(
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  attachment: AttachmentRow
): Promise<void> {
  const caller = restCaller(strapi);
  if (!attachment.file) {
    if (caller) throw fieldValidationError('file', 'file must be a file you uploaded');
    return;
  }
  const fileId = attachment.file.id;
  // On PostgreSQL, lock the file so that two requests attaching it are checked one after the other.
  if (isPostgres(strapi)) await tableIn(strapi, trx, UPLOAD_FILE).where('id', fileId).forUpdate().select('id');
  const file = (await strapi.db.query(UPLOAD_FILE).findOne({
    where: { id: fileId },
    select: ['id', 'name', 'ext', 'mime', 'url', 'provider'],
    populate: { [API_UPLOADER_ATTRIBUTE]: { select: ['id'] } },
  })) as FileRow | null;
  if (!file) throw fieldValidationError('file', 'file must be a file you uploaded');

  if (caller && !(caller.userId !== null && file[API_UPLOADER_ATTRIBUTE]?.id === caller.userId)) {
    throw fieldValidationError('file', 'file must be a file you uploaded');
  }

  const denied = fileContentRefusal([file.name, file.ext], [file.mime], await storedHead(strapi, file));
  if (denied) throw fieldValidationError('file', `"${file.name}": ${denied}`);

  const elsewhere = await strapi.db.query(ATTACHMENT).count({
    where: { id: { $ne: attachment.id }, file: { id: fileId } },
  });
  if (elsewhere > 0) throw fieldValidationError('file', 'file is already attached elsewhere');
}

/** The stored size in bytes, from the media library's kilobytes. */
const sizeInBytes = (file: NonNullable<AttachmentRow['file']>): number => Math.round(fileUtils.kbytesToBytes(Number(file.size)));

/** A file uploaded by this call: its exact size, unless the upload plugin re-encoded it (the kilobytes disagree). */
const freshSizeInBytes = (fresh: FreshUpload): number =>
  fileUtils.bytesToKbytes(fresh.bytes) === fresh.kilobytes ? fresh.bytes : Math.round(fileUtils.kbytesToBytes(fresh.kilobytes));

/** File facts come from the uploaded media; a new attachment adds one history row to its ticket
 * (the comment's ticket when only a comment is given). */
export const attachmentHook: DocumentHook = async (strapi, call, next) => {
  if (call.action === 'update') {
    const data = call.params.data ?? {};
    if (!['file', 'ticket', 'comment'].some((field) => field in data)) return next();
    return strapi.db.transaction(async ({ trx }) => {
      const updated = (await next()) as StoredEntry | null;
      if (!updated) return updated;
      const { attachment } = withTicket(await loadAttachment(strapi, updated.id));
      if ('file' in data) await assertFileMayBeAttached(strapi, trx, attachment);
      return updated;
    });
  }
  if (call.action !== 'create') return next();
  const actor = await resolveActor(strapi);
  const data: Record<string, unknown> = { ...(call.params.data ?? {}) };
  data.uploadedByType = actor.type;
  data.uploadedByName = actor.name;
  // a file the attachment service uploaded in this very call was checked before it was stored, and
  // nothing else can have attached it yet: its facts are known, no check or read-back is needed
  const fresh = typeof data.file === 'number' ? freshUpload(data.file) : undefined;
  if (fresh) Object.assign(data, { filename: data.filename ?? fresh.name, mimeType: fresh.mime, size: freshSizeInBytes(fresh) });
  call.params.data = data;

  return strapi.db.transaction(async ({ trx }) => {
    const created = (await next()) as StoredEntry;
    const { attachment, ticket } = withTicket(await loadAttachment(strapi, created.id, !fresh));
    if (!fresh) await assertFileMayBeAttached(strapi, trx, attachment);

    const facts: Record<string, unknown> = {};
    if (!attachment.ticket) facts.ticket = ticket.id;
    if (!fresh && attachment.file) {
      facts.filename = attachment.filename ?? attachment.file.name;
      facts.mimeType = attachment.file.mime;
      facts.size = sizeInBytes(attachment.file);
    }
    if (Object.keys(facts).length > 0) {
      await strapi.db.query(ATTACHMENT).update({ where: { id: created.id }, data: facts, select: ['id'] });
    }
    await touchTicket(strapi, trx, ticket.id);
    await getService(strapi, 'history').record(ticket, actor, [
      { action: 'attachment_added', fieldName: 'attachments', newValue: String(facts.filename ?? attachment.filename ?? created.documentId) },
    ]);
    return created;
  });
};
