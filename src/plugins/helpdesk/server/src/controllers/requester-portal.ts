import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { requesterOf, type Requester } from '../access/requester';
import { validatePortalComment, validatePortalList } from '../validators/requester-portal';
import { getService } from '../get-service';

interface PortalContext extends Context {
  params: { documentId?: string };
  state: { user?: { id: number } };
}

/** /api/portal/...: a requester's own tickets and their public conversation. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const requester = async (ctx: PortalContext): Promise<Requester> => {
    const found = await requesterOf(strapi, ctx.state.user?.id);
    if (!found) throw new errors.ForbiddenError('Only a requester with a confirmed address can use the portal');
    return found;
  };
  const portal = () => getService(strapi, 'requesterPortal');

  return {
    async listTickets(ctx: PortalContext) {
      const query = validatePortalList(ctx.query);
      const { results, pagination } = await portal().listTickets(await requester(ctx), query);
      ctx.body = { data: results, meta: { pagination } };
    },

    async getTicket(ctx: PortalContext) {
      ctx.body = { data: await portal().getTicket(await requester(ctx), String(ctx.params.documentId)) };
    },

    async listComments(ctx: PortalContext) {
      ctx.body = { data: await portal().listComments(await requester(ctx), String(ctx.params.documentId)) };
    },

    async addComment(ctx: PortalContext) {
      const body = validatePortalComment(ctx.request.body);
      const who = await requester(ctx);
      ctx.status = 201;
      ctx.body = { data: await portal().addComment(who, String(ctx.params.documentId), body) };
    },
  };
};
