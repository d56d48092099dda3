import type { WidgetArgs } from '@strapi/strapi/admin';

/** Home page widgets (filled in by the dashboard work). */
export const helpdeskWidgets: WidgetArgs[] = [];
