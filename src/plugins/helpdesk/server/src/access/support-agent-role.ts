import type { Core } from '@strapi/strapi';
import { ATTACHMENT, CANNED_REPLY, COMMENT, CONTACT, MACRO, TOOL_USE, INBOUND_EMAIL, OUTBOUND_EMAIL, TICKET, TICKET_HISTORY, UP_USER, BACK_OFFICE_ACTIONS } from '../../../shared/uids';

import { SERVER_OWNED_TICKET_ATTRIBUTES } from '../domain/server-owned';

/** The admin-panel role of helpdesk staff: code, name and what it may do. */
export const SUPPORT_AGENT_ROLE_CODE = 'helpdesk-support-agent';
export const SUPPORT_AGENT_ROLE_NAME = 'Support agent';

const READ = 'plugin::content-manager.explorer.read';
const CREATE = 'plugin::content-manager.explorer.create';
const UPDATE = 'plugin::content-manager.explorer.update';
const DELETE = 'plugin::content-manager.explorer.delete';

/**
 * Content Manager rights per helpdesk type. Tickets and what hangs on them are never deleted (they
 * stay part of the record), comments and attachments can be added but not rewritten, and what the
 * server writes (history, the outbox, the inbound mail log) is read-only. The team's canned replies
 * and macros are the agents' own to keep.
 */
export const SUPPORT_AGENT_CONTENT_RIGHTS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [TICKET, [READ, CREATE, UPDATE]],
  [CONTACT, [READ, CREATE, UPDATE]],
  [COMMENT, [READ, CREATE]],
  [ATTACHMENT, [READ, CREATE]],
  [TICKET_HISTORY, [READ]],
  [OUTBOUND_EMAIL, [READ]],
  [INBOUND_EMAIL, [READ]],
  [CANNED_REPLY, [READ, CREATE, UPDATE, DELETE]],
  [MACRO, [READ, CREATE, UPDATE, DELETE]],
  [TOOL_USE, [READ]],
];

/** The assignee and author pickers show agents by name: read access to those two fields only. */
const USER_PICKER_FIELDS = ['username', 'email'];

/** Media library: browse and upload, so attachments can be added from the Content Manager. */
const UPLOAD_ACTIONS = ['plugin::upload.read', 'plugin::upload.assets.create', 'plugin::upload.assets.download', 'plugin::upload.assets.copy-link'];

export interface AdminPermission {
  action: string;
  subject: string | null;
  properties: { fields?: string[] };
  conditions: string[];
}

interface AdminRoleRow {
  id: number;
  code: string;
  name: string;
}

interface AdminRoleService {
  findOne(params: { code: string }): Promise<AdminRoleRow | null>;
  create(attributes: { name: string; code: string; description: string }): Promise<AdminRoleRow>;
  assignPermissions(roleId: number, permissions: AdminPermission[]): Promise<unknown>;
}

interface ContentTypeService {
  getNestedFields(contentType: unknown, options: { components: unknown }): string[];
}

export const adminRoleService = (strapi: Core.Strapi) => strapi.admin.services.role as unknown as AdminRoleService;

/** Every permission of the Support agent role, always with the fields they cover. */
export function supportAgentPermissions(strapi: Core.Strapi): AdminPermission[] {
  const contentTypes = strapi.admin.services['content-type'] as unknown as ContentTypeService;
  const fieldsOf = (uid: string) =>
    contentTypes.getNestedFields(strapi.contentType(uid as typeof TICKET), { components: strapi.components });
  const permissions: AdminPermission[] = [];
  for (const [uid, actions] of SUPPORT_AGENT_CONTENT_RIGHTS) {
    const fields = fieldsOf(uid);
    for (const action of actions) {
      // what the server stamps on a ticket is read, never written, in the panel
      const writable = action === READ || uid !== TICKET ? fields : fields.filter((field) => !SERVER_OWNED_TICKET_ATTRIBUTES.includes(field));
      permissions.push({ action, subject: uid, properties: { fields: writable }, conditions: [] });
    }
  }
  permissions.push({ action: READ, subject: UP_USER, properties: { fields: USER_PICKER_FIELDS }, conditions: [] });
  for (const action of UPLOAD_ACTIONS) permissions.push({ action, subject: null, properties: {}, conditions: [] });
  permissions.push({ action: BACK_OFFICE_ACTIONS.work, subject: null, properties: {}, conditions: [] });
  return permissions;
}

/**
 * Creates the Support agent admin role once and sets its permissions at every boot: assignPermissions
 * replaces the role's whole set, so the role always holds exactly the list above (new fields included).
 */
export async function ensureSupportAgentRole(strapi: Core.Strapi): Promise<AdminRoleRow> {
  const roles = adminRoleService(strapi);
  const role =
    (await roles.findOne({ code: SUPPORT_AGENT_ROLE_CODE })) ??
    (await roles.create({
      name: SUPPORT_AGENT_ROLE_NAME,
      code: SUPPORT_AGENT_ROLE_CODE,
      description: 'Helpdesk staff: work tickets in the panel; no deleting tickets, no editing comments, history or the outbox',
    }));
  await roles.assignPermissions(role.id, supportAgentPermissions(strapi));
  return role;
}
