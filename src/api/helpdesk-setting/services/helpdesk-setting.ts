import { factories } from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { HELPDESK_SETTING } from '../../../uids';

export interface HelpdeskSettings {
  companyName: string;
  /** The team's address: new-ticket notifications go there. */
  supportAddress: string | null;
  autoReplyEnabled: boolean;
  publicBaseUrl: string | null;
}

const DEFAULTS: HelpdeskSettings = { companyName: 'Helpdesk', supportAddress: null, autoReplyEnabled: true, publicBaseUrl: null };

export const settingsActions = (strapi: Core.Strapi) => ({
  /** The settings staff saved in the admin panel, with defaults for what they have not set. */
  async current(): Promise<HelpdeskSettings> {
    const saved = (await strapi.db.query(HELPDESK_SETTING).findOne({})) as Partial<HelpdeskSettings> | null;
    return {
      companyName: saved?.companyName || DEFAULTS.companyName,
      supportAddress: saved?.supportAddress || DEFAULTS.supportAddress,
      autoReplyEnabled: saved?.autoReplyEnabled ?? DEFAULTS.autoReplyEnabled,
      publicBaseUrl: saved?.publicBaseUrl || DEFAULTS.publicBaseUrl,
    };
  },
});

export type SettingsService = ReturnType<typeof settingsActions>;

export default factories.createCoreService(HELPDESK_SETTING, ({ strapi }) => settingsActions(strapi));
