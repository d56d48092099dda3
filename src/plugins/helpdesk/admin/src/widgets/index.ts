import type { WidgetArgs } from '@strapi/strapi/admin';
import { ChartBubble, Clock, Discuss, Question, User } from '@strapi/icons';
import { WORK_TICKETS } from '../lib/permissions';
import { INBOX_VIEW } from './views';
import { PLUGIN_ID } from '../../../shared/uids';

const permissions = WORK_TICKETS.map(({ action }) => ({ action }));
const load = () => import('./HelpdeskWidgets');

/** Home page widgets: the helpdesk's figures (GET /helpdesk-admin/dashboard), each opening an inbox view. */
export const helpdeskWidgets: WidgetArgs[] = [
  {
    id: 'helpdesk-open-by-status',
    icon: Discuss,
    title: { id: 'helpdesk.widget.open-by-status', defaultMessage: 'Open tickets by status' },
    component: () => load().then((m) => m.OpenByStatusWidget),
    link: { label: { id: 'helpdesk.widget.open-by-status.link', defaultMessage: 'All open' }, href: INBOX_VIEW.open },
    permissions,
    pluginId: PLUGIN_ID,
  },
  {
    id: 'helpdesk-overdue',
    icon: Clock,
    title: { id: 'helpdesk.widget.overdue', defaultMessage: 'Overdue' },
    component: () => load().then((m) => m.OverdueWidget),
    link: { label: { id: 'helpdesk.widget.overdue.link', defaultMessage: 'Overdue tickets' }, href: INBOX_VIEW.overdue },
    permissions,
    pluginId: PLUGIN_ID,
  },
  {
    id: 'helpdesk-unassigned',
    icon: Question,
    title: { id: 'helpdesk.widget.unassigned', defaultMessage: 'Unassigned' },
    component: () => load().then((m) => m.UnassignedWidget),
    link: { label: { id: 'helpdesk.widget.unassigned.link', defaultMessage: 'Unassigned tickets' }, href: INBOX_VIEW.unassigned },
    permissions,
    pluginId: PLUGIN_ID,
  },
  {
    id: 'helpdesk-my-tickets',
    icon: User,
    title: { id: 'helpdesk.widget.mine', defaultMessage: 'My tickets' },
    component: () => load().then((m) => m.MyTicketsWidget),
    link: { label: { id: 'helpdesk.widget.mine.link', defaultMessage: 'My open tickets' }, href: INBOX_VIEW.my },
    permissions,
    pluginId: PLUGIN_ID,
  },
  {
    id: 'helpdesk-created-vs-resolved',
    icon: ChartBubble,
    title: { id: 'helpdesk.widget.trend', defaultMessage: 'Created vs resolved (14 days)' },
    component: () => load().then((m) => m.CreatedVsResolvedWidget),
    link: { label: { id: 'helpdesk.widget.trend.link', defaultMessage: 'Recently resolved' }, href: INBOX_VIEW.resolved },
    permissions,
    pluginId: PLUGIN_ID,
  },
];
