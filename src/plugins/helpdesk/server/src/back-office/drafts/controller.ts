import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import { draftService } from './service';
import { parseDraft } from './validators';

/** Thin: the admin's own draft on one ticket. */
export const draftController = {
  /** GET → { data: ReplyDraftView | null } */
  async read(ctx: AdminContext, strapi: Core.Strapi) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: await draftService(strapi).read(ctx.state.user.id, ctx.params.documentId) };
  },

  /** PUT { body, isInternal } → { data: ReplyDraftView | null } (null: an empty text keeps nothing) */
  async save(ctx: AdminContext, strapi: Core.Strapi) {
    const input = parseDraft(ctx.request.body);
    ctx.body = { data: await draftService(strapi).save(ctx.state.user.id, ctx.params.documentId, input) };
  },

  /** DELETE → 204 */
  async remove(ctx: AdminContext, strapi: Core.Strapi) {
    await draftService(strapi).remove(ctx.state.user.id, ctx.params.documentId);
    ctx.status = 204;
  },
};
