import type { Core } from '@strapi/strapi';

/** The host app: the helpdesk itself is the plugin in src/plugins/helpdesk (config/plugins.ts). */
export default {
  register(_context: { strapi: Core.Strapi }) {},
  bootstrap(_context: { strapi: Core.Strapi }) {},
};
