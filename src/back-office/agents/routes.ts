import type { AdminRoute } from '../admin-route';

export const agentsRoutes: AdminRoute[] = [];
