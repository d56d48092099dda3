import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UP_PERMISSION, UP_ROLE, UP_USER, action } from '../../../shared/uids';

export const AGENT_ROLE_TYPE = 'agent';

/**
 * The one rule for who is an agent now (assignable, listed, a staff sender): the Agent role and not
 * blocked, a missing flag counting as not blocked. As a query filter and as a check on a loaded user.
 */
export const ACTIVE_AGENT_WHERE = {
  role: { type: AGENT_ROLE_TYPE },
  $or: [{ blocked: false }, { blocked: { $null: true } }],
};

export const isActiveAgent = (user: { blocked?: boolean | null; role?: { type?: string | null } | null } | null | undefined): boolean =>
  Boolean(user && user.role?.type === AGENT_ROLE_TYPE && user.blocked !== true);

/** What staff using the REST API may do. */
export const AGENT_PERMISSIONS = [
  action('ticket', 'find'),
  action('ticket', 'findOne'),
  action('ticket', 'create'),
  action('ticket', 'update'),
  action('ticketWorkflow', 'changeStatus'),
  action('ticketWorkflow', 'assign'),
  action('ticketWorkflow', 'addComment'),
  action('comment', 'find'),
  action('comment', 'findOne'),
  action('comment', 'create'),
  action('attachment', 'find'),
  action('attachment', 'findOne'),
  action('attachment', 'create'),
  action('ticketHistory', 'find'),
  action('ticketHistory', 'findOne'),
  action('contact', 'find'),
  action('contact', 'findOne'),
  action('contact', 'create'),
  action('contact', 'update'),
  'plugin::upload.content-api.upload',
  'plugin::users-permissions.user.me',
  // their own sign-ins: sign out, change the password (ends the other sessions), list and end sessions
  'plugin::users-permissions.auth.logout',
  'plugin::users-permissions.auth.changePassword',
  'plugin::users-permissions.auth.getSessions',
  'plugin::users-permissions.auth.revokeSession',
  // to pick an assignee: Strapi only accepts relations to what the caller may read
  'plugin::users-permissions.user.find',
  'plugin::users-permissions.user.findOne',
  // attachments: files onto a ticket in one request (POST /api/tickets/:documentId/attachments)
  action('ticketAttachment', 'create'),
  // ticket reports (routes/03-ticket-reports.ts): statistics and the CSV export
  action('ticketReport', 'statistics'),
  action('ticketReport', 'exportCsv'),
] as const;

interface RoleRow {
  id: number;
}

/** Grants `actions` to a role; actions it already has are left alone, so a restart changes nothing. */
async function grant(strapi: Core.Strapi, roleId: number, actions: readonly string[]): Promise<void> {
  const permissions = strapi.db.query(UP_PERMISSION);
  const granted = (await permissions.findMany({
    where: { role: roleId, action: { $in: [...actions] } },
    select: ['action'],
  })) as Array<{ action: string }>;
  const have = new Set(granted.map((permission) => permission.action));
  for (const action of actions) {
    if (!have.has(action)) await permissions.create({ data: { action, role: roleId } });
  }
}

/** Creates the Agent role and grants its permissions; a no-op when they already exist. */
export async function ensureAgentRole(strapi: Core.Strapi): Promise<RoleRow> {
  const roles = strapi.db.query(UP_ROLE);
  const role =
    ((await roles.findOne({ where: { type: AGENT_ROLE_TYPE } })) as RoleRow | null) ??
    ((await roles.create({
      data: { name: 'Agent', type: AGENT_ROLE_TYPE, description: 'Helpdesk staff working tickets through the REST API' },
    })) as RoleRow);
  await grant(strapi, role.id, AGENT_PERMISSIONS);
  return role;
}

/** Requesters with accounts (the default Authenticated role) reach their own tickets through the portal only. */
export const REQUESTER_PERMISSIONS = [
  action('requesterPortal', 'listTickets'),
  action('requesterPortal', 'getTicket'),
  action('requesterPortal', 'listComments'),
  action('requesterPortal', 'addComment'),
] as const;

export async function ensureRequesterAccess(strapi: Core.Strapi): Promise<void> {
  const role = (await strapi.db.query(UP_ROLE).findOne({ where: { type: 'authenticated' } })) as RoleRow | null;
  if (role) await grant(strapi, role.id, REQUESTER_PERMISSIONS);
}

/** Of the helpdesk's own routes, the Public role gets guest ticket submission only. */
export const PUBLIC_PERMISSIONS = [action('ticket', 'guestCreate')] as const;

export async function ensurePublicGuestAccess(strapi: Core.Strapi): Promise<void> {
  const role = (await strapi.db.query(UP_ROLE).findOne({ where: { type: 'public' } })) as RoleRow | null;
  if (role) await grant(strapi, role.id, PUBLIC_PERMISSIONS);
}

export interface NewAgent {
  email: string;
  password: string;
  name?: string;
}

/** Creates a confirmed users-permissions account with the Agent role. */
export async function createAgent(strapi: Core.Strapi, input: NewAgent): Promise<{ id: number; email: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new errors.ValidationError(`not an email address: ${input.email}`);
  if (input.password.length < 8) throw new errors.ValidationError('the password needs at least 8 characters');
  const existing = await strapi.db.query(UP_USER).findOne({ where: { email } });
  if (existing) throw new errors.ValidationError(`a user with the email ${email} already exists`);

  const role = await ensureAgentRole(strapi);
  const user = (await strapi.plugin('users-permissions').service('user').add({
    username: input.name?.trim() || email,
    email,
    password: input.password,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: role.id,
  })) as { id: number; email: string };
  return { id: user.id, email: user.email };
}
