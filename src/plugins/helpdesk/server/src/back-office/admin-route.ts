import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { BACK_OFFICE_ACTIONS } from '../../../shared/uids';

/** The admin-panel permissions the back office checks (Settings → Roles, category Helpdesk). */
export { BACK_OFFICE_ACTIONS };

export type BackOfficeAction = (typeof BACK_OFFICE_ACTIONS)[keyof typeof BACK_OFFICE_ACTIONS];

/** The signed-in admin user on an admin route. */
export interface AdminUser {
  id: number;
  email: string;
  firstname?: string | null;
  lastname?: string | null;
  roles?: Array<{ code: string }>;
}

export interface AdminContext extends Context {
  params: Record<string, string>;
  state: { user: AdminUser; auth?: unknown };
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  action: BackOfficeAction;
  handler: (ctx: AdminContext, strapi: Core.Strapi) => Promise<void>;
}

/** A route of the admin API (`/helpdesk-admin/...`): an admin session holding `action`. */
export function toStrapiRoute(strapi: Core.Strapi, route: AdminRoute) {
  return {
    method: route.method,
    path: route.path,
    handler: (ctx: Context) => route.handler(ctx as AdminContext, strapi),
    info: { type: 'admin' },
    config: {
      policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [route.action] } }],
    },
  };
}
