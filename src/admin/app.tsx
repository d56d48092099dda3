import type { StrapiApp } from '@strapi/strapi/admin';

/** The host app's admin: the helpdesk's screens come with its plugin (src/plugins/helpdesk/admin). */
export default {
  config: { locales: [] },
  bootstrap(_app: StrapiApp) {},
};
