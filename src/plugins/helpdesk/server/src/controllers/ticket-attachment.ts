import type { Core } from '@strapi/strapi';
import { validateTicketAttachmentRequest } from '../validators/attachment-upload';
import { getService } from '../get-service';

interface AttachmentContext {
  params: Record<string, unknown>;
  request: { body?: unknown; files?: Record<string, unknown> };
  status: number;
  body: unknown;
}

/** POST /api/tickets/:documentId/attachments: files (multipart field `files`) onto a ticket. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: AttachmentContext) {
    const service = getService(strapi, 'attachmentUpload');
    const request = validateTicketAttachmentRequest(ctx.params, ctx.request.body, ctx.request.files, service.limits);
    const records = await service.attach(request);
    ctx.status = 201;
    ctx.body = { data: records };
  },
});
