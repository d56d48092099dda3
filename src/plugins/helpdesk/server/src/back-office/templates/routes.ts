import { BACK_OFFICE_ACTIONS, type AdminRoute } from '../admin-route';
import { postPreview, postTestMail } from './controller';

// templates are part of the helpdesk's mail settings
const action = BACK_OFFICE_ACTIONS.settings;

export const templateRoutes: AdminRoute[] = [
  { method: 'POST', path: '/templates/preview', action, handler: postPreview },
  { method: 'POST', path: '/templates/test-mail', action, handler: postTestMail },
];
