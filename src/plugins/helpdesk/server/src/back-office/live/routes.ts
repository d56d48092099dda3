import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { liveController } from './controller';

export const liveRoutes: AdminRoute[] = [
  { method: 'GET', path: '/live', action: BACK_OFFICE_ACTIONS.work, handler: liveController.stream },
  { method: 'POST', path: '/tickets/:documentId/presence', action: BACK_OFFICE_ACTIONS.work, handler: liveController.presence },
];
