/** Admin-panel permissions the back office's pages need (registered by src/back-office). */
import { BACK_OFFICE_ACTIONS } from '../../../shared/uids';

export const WORK_TICKETS = [{ action: BACK_OFFICE_ACTIONS.work, subject: null }];
export const MANAGE_SETTINGS = [{ action: BACK_OFFICE_ACTIONS.settings, subject: null }];
export const MANAGE_AGENTS = [{ action: BACK_OFFICE_ACTIONS.agents, subject: null }];
