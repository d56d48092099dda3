import type { AdminRoute } from '../admin-route';

export const settingsRoutes: AdminRoute[] = [];
