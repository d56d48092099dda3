import type { AdminRoute } from '../admin-route';

export const ticketViewRoutes: AdminRoute[] = [];
