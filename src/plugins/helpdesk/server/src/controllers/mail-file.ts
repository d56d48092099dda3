import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ATTACHMENT } from '../../../shared/uids';
import { fileLinkSigner } from '../mail/file-links';
import { readStoredFile } from '../domain/file-content';

interface MailFileContext {
  params: { documentId: string; expires: string; signature: string };
  status: number;
  body: unknown;
  set(field: string, value: string): void;
}

interface AttachmentRow {
  filename: string | null;
  mimeType: string | null;
  file: { url: string; provider: string } | null;
}

/** RFC 6266 filename: ASCII fallback plus the UTF-8 name. */
const disposition = (name: string): string =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** GET /api/mail-files/:documentId/:expires/:signature: the file, while the link's signature holds and it has not expired. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async download(ctx: MailFileContext) {
    const { documentId, expires, signature } = ctx.params;
    const verdict = fileLinkSigner(strapi).check(documentId, expires, signature);
    // a PolicyError (403): Strapi answers a plain ForbiddenError from a handler as "Forbidden", without the reason
    if (verdict === 'bad-signature') throw new errors.PolicyError('This file link is not valid');
    if (verdict === 'expired') throw new errors.PolicyError('This file link has expired: ask us for the file again');
    const attachment = (await strapi.db.query(ATTACHMENT).findOne({
      where: { documentId },
      select: ['filename', 'mimeType'],
      populate: { file: { select: ['url', 'provider'] } },
    })) as AttachmentRow | null;
    if (!attachment?.file) throw new errors.NotFoundError('File not found');
    const bytes = await readStoredFile(strapi, attachment.file);
    ctx.set('Content-Type', attachment.mimeType || 'application/octet-stream');
    ctx.set('Content-Disposition', disposition(attachment.filename ?? 'file'));
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'private, no-store');
    ctx.status = 200;
    ctx.body = bytes;
  },
});
