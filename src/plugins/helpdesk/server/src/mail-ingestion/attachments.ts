/**
 * Parse stage, attachments: mailparser's parts as MailAttachments with a safe file name, content
 * left out above the size limit. Pure.
 */
import type { Attachment } from 'mailparser';
import type { MailAttachment } from './types';

/** Whether parseMail left an attachment's content out because it was over maxAttachmentBytes. */
export function attachmentOmitted(attachment: MailAttachment): boolean {
  return attachment.content.length < attachment.size;
}

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

export function toAttachment(attachment: Attachment, index: number, maxBytes: number | undefined): MailAttachment {
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
