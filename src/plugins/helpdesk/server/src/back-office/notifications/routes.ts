import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { notificationsController } from './controller';

export const notificationRoutes: AdminRoute[] = [
  { method: 'GET', path: '/notifications', action: BACK_OFFICE_ACTIONS.work, handler: notificationsController.list },
  { method: 'POST', path: '/notifications/read', action: BACK_OFFICE_ACTIONS.work, handler: notificationsController.markRead },
  { method: 'PUT', path: '/notifications/preferences', action: BACK_OFFICE_ACTIONS.work, handler: notificationsController.setPreference },
];
