import type { AdminRoute } from '../admin-route';

export const dashboardRoutes: AdminRoute[] = [];
