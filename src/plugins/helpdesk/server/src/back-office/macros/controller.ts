import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import { getService } from '../../get-service';
import { parseCannedQuery, parseRecordId } from './validators';

/** Thin: the composer's canned replies and the list of macros (applying one is a ticket-view action). */
export const macrosController = {
  /** GET /tickets/:documentId/canned-replies?q= → { data: CannedReplyView[] } */
  async listCannedReplies(ctx: AdminContext, strapi: Core.Strapi) {
    const query = parseCannedQuery(ctx.query);
    ctx.body = { data: await getService(strapi, 'macros').listCannedReplies(ctx.state.user, ctx.params.documentId, query) };
  },

  /** POST /tickets/:documentId/canned-replies/:id/use → { data: CannedReplyView } */
  async useCannedReply(ctx: AdminContext, strapi: Core.Strapi) {
    const id = parseRecordId(ctx.params);
    ctx.body = { data: await getService(strapi, 'macros').useCannedReply(ctx.state.user, id, ctx.params.documentId) };
  },

  /** GET /macros → { data: MacroView[] } */
  async listMacros(ctx: AdminContext, strapi: Core.Strapi) {
    ctx.body = { data: await getService(strapi, 'macros').listMacros() };
  },
};
