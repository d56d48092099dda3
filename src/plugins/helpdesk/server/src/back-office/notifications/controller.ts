import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { AdminContext } from '../admin-route';
import { getService } from '../../get-service';
import { parsePreference, parseReadSelection } from './validators';

/** Thin: the signed-in admin's own notifications (the bell). */
export const notificationsController = {
  /** GET → NotificationsAnswer */
  async list(ctx: AdminContext, strapi: Core.Strapi) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getService(strapi, 'notifications').list(ctx.state.user);
  },

  /** POST { ids } | { ticket } | { all: true } → { data: { marked } } */
  async markRead(ctx: AdminContext, strapi: Core.Strapi) {
    const selection = parseReadSelection(ctx.request.body);
    ctx.body = { data: { marked: await getService(strapi, 'notifications').markRead(ctx.state.user, selection) } };
  },

  /** PUT { mail } → { data: { mail } } */
  async setPreference(ctx: AdminContext, strapi: Core.Strapi) {
    const { mail } = parsePreference(ctx.request.body);
    const saved = await getService(strapi, 'notifications').setMail(ctx.state.user, mail);
    if (!saved) throw new errors.ForbiddenError('Only agents get notifications: this admin has no agent account');
    ctx.body = { data: { mail: saved } };
  },
};
