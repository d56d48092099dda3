import type { AdminRoute } from '../admin-route';

export const inboxRoutes: AdminRoute[] = [];
