import type { ComponentType } from 'react';
import type { StrapiApp } from '@strapi/strapi/admin';
import { Discuss, PriceTag } from '@strapi/icons';
import { helpdeskWidgets } from './widgets';
import { TicketSidePanel } from './content-manager/TicketSidePanel';
import { EmailTemplatePanel } from './content-manager/EmailTemplatePanel';
import { INJECT_COLUMN_IN_TABLE, INJECT_LIST_VIEW_FILTERS, helpdeskListColumns, helpdeskListFilters } from './content-manager/list-view';
import { HELPDESK_ENUMERATION_INPUT, HelpdeskEnumerationInput, MUTATE_EDIT_VIEW_LAYOUT, helpdeskEditLayout } from './content-manager/edit-view';
import { MANAGE_AGENTS, MANAGE_SETTINGS, WORK_TICKETS } from './lib/permissions';
import { PLUGIN_ID } from '../../shared/uids';

/** The helpdesk plugin's admin: menu page, settings pages, home widgets, Content Manager additions. */
export default {
  register(app: StrapiApp) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Helpdesk' });
    // /admin/helpdesk: the inbox; /admin/helpdesk/tickets/:documentId: one ticket
    app.addMenuLink({
      to: 'helpdesk',
      icon: Discuss,
      intlLabel: { id: 'helpdesk.menu', defaultMessage: 'Helpdesk' },
      Component: () => import('./pages/HelpdeskApp'),
      permissions: WORK_TICKETS,
      position: 1,
    });
    // first on the home page of everyone who works tickets (nobody else sees them): a reducer over
    // the widgets registered so far, Strapi's own included
    app.widgets.register((widgets) => [...helpdeskWidgets, ...widgets]);
    // the helpdesk's enumerations in its edit views, with words (content-manager/edit-view.tsx);
    // typed without props by Strapi, which passes the field's props
    app.addFields({ type: HELPDESK_ENUMERATION_INPUT, Component: HelpdeskEnumerationInput as unknown as ComponentType });
    // the ticket's tags (plugin::helpdesk.tags, registered on the server in lifecycle.ts)
    app.customFields.register({
      name: 'tags',
      pluginId: PLUGIN_ID,
      type: 'json',
      icon: PriceTag,
      intlLabel: { id: 'helpdesk.fields.tags', defaultMessage: 'Tags' },
      intlDescription: { id: 'helpdesk.fields.tags.description', defaultMessage: 'Short labels, edited as chips' },
      // typed without props by Strapi; the Content Manager passes the field's props and form state
      components: { Input: () => import('./fields/TagsField').then((field) => ({ default: field.default as unknown as ComponentType })) },
    });
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
  bootstrap(app: StrapiApp) {
    type SidePanel = typeof TicketSidePanel | typeof EmailTemplatePanel;
    const contentManager = app.getPlugin('content-manager').apis as { addEditViewSidePanel(panels: SidePanel[]): void };
    contentManager.addEditViewSidePanel([TicketSidePanel, EmailTemplatePanel]);
    app.registerHook(INJECT_COLUMN_IN_TABLE, helpdeskListColumns);
    app.registerHook(INJECT_LIST_VIEW_FILTERS, helpdeskListFilters);
    app.registerHook(MUTATE_EDIT_VIEW_LAYOUT, helpdeskEditLayout);
  },
};
