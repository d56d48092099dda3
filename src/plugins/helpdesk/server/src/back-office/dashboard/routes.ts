import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { getDashboard } from './controller';

export const dashboardRoutes: AdminRoute[] = [
  { method: 'GET', path: '/dashboard', action: BACK_OFFICE_ACTIONS.work, handler: getDashboard },
];
