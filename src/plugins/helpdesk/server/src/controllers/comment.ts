import { factories } from '@strapi/strapi';
import { COMMENT } from '../../../shared/uids';
import { validateCommentCreate } from '../validators/comment';

export default factories.createCoreController(COMMENT, () => ({
  async create(ctx) {
    ctx.request.body = { data: validateCommentCreate(ctx.request.body) };
    return super.create(ctx);
  },
}));
