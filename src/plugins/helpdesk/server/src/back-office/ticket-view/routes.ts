import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { ticketViewController as controller } from './controller';

/** One ticket in the back office: its conversation and side panel, and what staff do to it. */
export const ticketViewRoutes: AdminRoute[] = [
  { method: 'POST', path: '/tickets', action: BACK_OFFICE_ACTIONS.work, handler: controller.open },
  { method: 'GET', path: '/tickets/:documentId', action: BACK_OFFICE_ACTIONS.work, handler: controller.show },
  { method: 'PUT', path: '/tickets/:documentId', action: BACK_OFFICE_ACTIONS.work, handler: controller.updateFields },
  { method: 'POST', path: '/tickets/:documentId/replies', action: BACK_OFFICE_ACTIONS.work, handler: controller.reply },
  { method: 'POST', path: '/tickets/:documentId/status', action: BACK_OFFICE_ACTIONS.work, handler: controller.changeStatus },
  { method: 'POST', path: '/tickets/:documentId/assign', action: BACK_OFFICE_ACTIONS.work, handler: controller.assign },
  { method: 'POST', path: '/tickets/:documentId/macros/:id', action: BACK_OFFICE_ACTIONS.work, handler: controller.applyMacro },
];
