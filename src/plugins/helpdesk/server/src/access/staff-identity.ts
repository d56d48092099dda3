import type { Core } from '@strapi/strapi';
import { UP_USER } from '../../../shared/uids';
import { ACTIVE_AGENT_WHERE } from './roles';

/**
 * One staff identity: an admin-panel user and a users-permissions account with the Agent role
 * are the same person when they share an email address (both sides keep emails unique and
 * lower-case). The agent account is the one tickets are assigned to and history names.
 */
export interface StaffAgent {
  id: number;
  documentId: string;
  username: string;
  email: string;
}

const AGENT_FIELDS = ['id', 'documentId', 'username', 'email'];

/** The agent account of an admin user, or null when the admin is not (yet) an agent. */
export async function agentForAdmin(strapi: Core.Strapi, admin: { email?: string | null }): Promise<StaffAgent | null> {
  const email = admin.email?.trim().toLowerCase();
  if (!email) return null;
  return (await strapi.db.query(UP_USER).findOne({ where: { ...ACTIVE_AGENT_WHERE, email }, select: AGENT_FIELDS })) as StaffAgent | null;
}

/** Everybody a ticket can be assigned to, by name. */
export async function listAgents(strapi: Core.Strapi): Promise<StaffAgent[]> {
  return (await strapi.db.query(UP_USER).findMany({
    where: ACTIVE_AGENT_WHERE,
    select: AGENT_FIELDS,
    orderBy: [{ username: 'asc' }, { id: 'asc' }],
  })) as StaffAgent[];
}
