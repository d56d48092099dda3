import { factories } from '@strapi/strapi';
import { ATTACHMENT } from '../../../shared/uids';
import { validateAttachmentCreate } from '../validators/attachment';

export default factories.createCoreController(ATTACHMENT, () => ({
  async create(ctx) {
    ctx.request.body = { data: validateAttachmentCreate(ctx.request.body) };
    return super.create(ctx);
  },
}));
