import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { getMailConfig, getMailHealth, getSettings, postMailCheck, postTestMail, putSettings } from './controller';

const action = BACK_OFFICE_ACTIONS.settings;

export const settingsRoutes: AdminRoute[] = [
  { method: 'GET', path: '/settings', action, handler: getSettings },
  { method: 'PUT', path: '/settings', action, handler: putSettings },
  { method: 'GET', path: '/settings/mail', action, handler: getMailConfig },
  { method: 'POST', path: '/settings/test-mail', action, handler: postTestMail },
  { method: 'GET', path: '/settings/mail/health', action, handler: getMailHealth },
  { method: 'POST', path: '/settings/mail/check', action, handler: postMailCheck },
];
