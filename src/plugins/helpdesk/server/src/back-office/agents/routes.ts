import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { agentsController } from './controller';

/**
 * Settings → Helpdesk → Agents. Under /staff: GET /helpdesk-admin/agents (the assignable agents,
 * for pickers) belongs to the inbox.
 */
export const agentsRoutes: AdminRoute[] = [
  { method: 'GET', path: '/staff', action: BACK_OFFICE_ACTIONS.agents, handler: agentsController.list },
  { method: 'POST', path: '/staff', action: BACK_OFFICE_ACTIONS.agents, handler: agentsController.create },
  { method: 'POST', path: '/staff/me', action: BACK_OFFICE_ACTIONS.agents, handler: agentsController.makeMe },
];
