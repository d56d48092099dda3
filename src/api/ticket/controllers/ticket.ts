import { factories } from '@strapi/strapi';
import { TICKET } from '../../../uids';
import { validateTicketCreate, validateTicketUpdate } from '../validators/ticket';

/** REST writes are validated strictly (unknown, server-owned and malformed fields are a 400)
 * before Strapi's core actions run; everything else happens in the document hooks. */
export default factories.createCoreController(TICKET, () => ({
  async create(ctx) {
    ctx.request.body = { data: validateTicketCreate(ctx.request.body) };
    return super.create(ctx);
  },
  async update(ctx) {
    ctx.request.body = { data: validateTicketUpdate(ctx.request.body) };
    return super.update(ctx);
  },
}));
