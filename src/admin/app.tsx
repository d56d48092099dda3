import type { StrapiApp } from '@strapi/strapi/admin';
import { Discuss } from '@strapi/icons';
import { helpdeskWidgets } from './widgets';
import { MANAGE_AGENTS, MANAGE_SETTINGS, WORK_TICKETS } from './lib/permissions';

export default {
  config: { locales: [] },
  register(app: StrapiApp) {
    // /admin/helpdesk: the inbox; /admin/helpdesk/tickets/:documentId: one ticket
    app.addMenuLink({
      to: 'helpdesk',
      icon: Discuss,
      intlLabel: { id: 'helpdesk.menu', defaultMessage: 'Helpdesk' },
      Component: () => import('./pages/HelpdeskApp'),
      permissions: WORK_TICKETS,
      position: 1,
    });
    app.widgets.register(helpdeskWidgets);
    app.addSettingsLink(
      { id: 'helpdesk', intlLabel: { id: 'helpdesk.settings.section', defaultMessage: 'Helpdesk' } },
      {
        id: 'helpdesk-settings',
        to: 'helpdesk',
        intlLabel: { id: 'helpdesk.settings.general', defaultMessage: 'General & mail' },
        Component: () => import('./settings/HelpdeskSettings'),
        permissions: MANAGE_SETTINGS,
      }
    );
    app.addSettingsLink('helpdesk', {
      id: 'helpdesk-agents',
      to: 'helpdesk-agents',
      intlLabel: { id: 'helpdesk.settings.agents', defaultMessage: 'Agents' },
      Component: () => import('./settings/Agents'),
      permissions: MANAGE_AGENTS,
    });
  },
  bootstrap(_app: StrapiApp) {},
};
