import { factories } from '@strapi/strapi';
import { CONTACT } from '../../../shared/uids';
import { validateContactCreate, validateContactUpdate } from '../validators/contact';

export default factories.createCoreController(CONTACT, () => ({
  async create(ctx) {
    ctx.request.body = { data: validateContactCreate(ctx.request.body) };
    return super.create(ctx);
  },
  async update(ctx) {
    ctx.request.body = { data: validateContactUpdate(ctx.request.body) };
    return super.update(ctx);
  },
}));
