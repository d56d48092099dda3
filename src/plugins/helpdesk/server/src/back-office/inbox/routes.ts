import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { inboxController } from './controller';

export const inboxRoutes: AdminRoute[] = [
  { method: 'GET', path: '/tickets', action: BACK_OFFICE_ACTIONS.work, handler: inboxController.list },
  { method: 'GET', path: '/tickets/counts', action: BACK_OFFICE_ACTIONS.work, handler: inboxController.counts },
  { method: 'POST', path: '/tickets/bulk/preview', action: BACK_OFFICE_ACTIONS.work, handler: inboxController.bulkPreview },
  { method: 'POST', path: '/tickets/bulk', action: BACK_OFFICE_ACTIONS.work, handler: inboxController.bulk },
  { method: 'GET', path: '/agents', action: BACK_OFFICE_ACTIONS.work, handler: inboxController.agents },
];
