import type { Core } from '@strapi/strapi';
import { registerDocumentHooks } from './document-hooks';
import { ensureAgentRole } from './access/agents';
import { applyContentManagerLayouts } from './setup/content-manager-layouts';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerDocumentHooks(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureAgentRole(strapi);
    await applyContentManagerLayouts(strapi);
  },
};
