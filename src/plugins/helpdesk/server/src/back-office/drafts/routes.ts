import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { draftController } from './controller';

export const draftRoutes: AdminRoute[] = [
  { method: 'GET', path: '/tickets/:documentId/draft', action: BACK_OFFICE_ACTIONS.work, handler: draftController.read },
  { method: 'PUT', path: '/tickets/:documentId/draft', action: BACK_OFFICE_ACTIONS.work, handler: draftController.save },
  { method: 'DELETE', path: '/tickets/:documentId/draft', action: BACK_OFFICE_ACTIONS.work, handler: draftController.remove },
];
