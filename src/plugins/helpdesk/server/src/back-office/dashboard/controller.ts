import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import { agentForAdmin } from '../../access/staff-identity';
import { dashboardFor } from './service';

/** GET /helpdesk-admin/dashboard: the home page widgets' figures for the signed-in admin. */
export async function getDashboard(ctx: AdminContext, strapi: Core.Strapi): Promise<void> {
  const agent = await agentForAdmin(strapi, ctx.state.user);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: await dashboardFor(strapi, agent?.id ?? null) };
}
