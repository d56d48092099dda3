import type { Core } from '@strapi/strapi';
import { BACK_OFFICE_ACTIONS, toStrapiRoute, type AdminRoute } from './admin-route';
import { PLUGIN_ID } from '../../../shared/uids';
import { inboxRoutes } from './inbox/routes';
import { ticketViewRoutes } from './ticket-view/routes';
import { dashboardRoutes } from './dashboard/routes';
import { settingsRoutes } from './settings/routes';
import { agentsRoutes } from './agents/routes';
import { templateRoutes } from './templates/routes';
import { liveRoutes } from './live/routes';
import { draftRoutes } from './drafts/routes';
import { notificationRoutes } from './notifications/routes';
import { macroRoutes } from './macros/routes';

/**
 * The back office: the admin panel's helpdesk screens (src/admin) talk to these admin-authenticated
 * routes, which call the same services as the REST API, so rules, history and mail are identical.
 */
const ROUTES: AdminRoute[] = [...inboxRoutes, ...ticketViewRoutes, ...dashboardRoutes, ...settingsRoutes, ...agentsRoutes, ...templateRoutes, ...liveRoutes, ...draftRoutes, ...notificationRoutes, ...macroRoutes];

interface ActionProvider {
  registerMany(actions: Array<{ section: string; category: string; displayName: string; uid: string; pluginName: string }>): Promise<void>;
}

/** In register(): the admin bootstrap drops role permissions of actions it does not know yet. */
export async function registerBackOffice(strapi: Core.Strapi): Promise<void> {
  const provider = strapi.admin.services.permission.actionProvider as ActionProvider;
  await provider.registerMany([
    { section: 'settings', category: 'Helpdesk', displayName: 'Work tickets (inbox, ticket view)', uid: 'tickets.work', pluginName: PLUGIN_ID },
    { section: 'settings', category: 'Helpdesk', displayName: 'Manage helpdesk settings', uid: 'settings.manage', pluginName: PLUGIN_ID },
    { section: 'settings', category: 'Helpdesk', displayName: 'Manage agents', uid: 'agents.manage', pluginName: PLUGIN_ID },
  ]);
  strapi.server.routes({ type: 'admin', prefix: '/helpdesk-admin', routes: ROUTES.map((route) => toStrapiRoute(strapi, route)) });
}

export { BACK_OFFICE_ACTIONS };
