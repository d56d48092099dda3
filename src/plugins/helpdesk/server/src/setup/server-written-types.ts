import type { Core } from '@strapi/strapi';
import { INBOUND_EMAIL, OUTBOUND_EMAIL, TICKET_HISTORY, TOOL_USE } from '../../../shared/uids';

/** Records only the server writes: the Document Service refuses every write to them (document-hooks/read-only). */
export const SERVER_WRITTEN_TYPES = [OUTBOUND_EMAIL, TICKET_HISTORY, INBOUND_EMAIL, TOOL_USE] as const;

/** Content Manager actions that would be refused anyway, so the panel does not offer them (Create, Duplicate, Delete, Publish, Save). */
export const REFUSED_CONTENT_ACTIONS = [
  'plugin::content-manager.explorer.create',
  'plugin::content-manager.explorer.update',
  'plugin::content-manager.explorer.delete',
  'plugin::content-manager.explorer.publish',
] as const;

/**
 * Removes those permissions from every admin role, super admin included. The admin plugin's
 * bootstrap gives the super admin every permission again at each boot; the application's
 * bootstrap runs after it, so this runs at every boot too and the rows stay gone. (A role editor
 * granting them back is undone at the next boot; meanwhile the Document Service still refuses.)
 */
export async function withdrawRefusedActions(strapi: Core.Strapi): Promise<number> {
  const result = (await strapi.db.query('admin::permission').deleteMany({
    where: { subject: { $in: [...SERVER_WRITTEN_TYPES] }, action: { $in: [...REFUSED_CONTENT_ACTIONS] } },
  })) as { count: number };
  return result.count;
}
