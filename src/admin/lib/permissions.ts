/** Admin-panel permissions the back office's pages need (registered by src/back-office). */
export const WORK_TICKETS = [{ action: 'api::helpdesk.tickets.work', subject: null }];
export const MANAGE_SETTINGS = [{ action: 'api::helpdesk.settings.manage', subject: null }];
export const MANAGE_AGENTS = [{ action: 'api::helpdesk.agents.manage', subject: null }];
