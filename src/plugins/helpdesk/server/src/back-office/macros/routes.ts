import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { macrosController } from './controller';

export const macroRoutes: AdminRoute[] = [
  { method: 'GET', path: '/tickets/:documentId/canned-replies', action: BACK_OFFICE_ACTIONS.work, handler: macrosController.listCannedReplies },
  { method: 'POST', path: '/tickets/:documentId/canned-replies/:id/use', action: BACK_OFFICE_ACTIONS.work, handler: macrosController.useCannedReply },
  { method: 'GET', path: '/macros', action: BACK_OFFICE_ACTIONS.work, handler: macrosController.listMacros },
];
