import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { currentActor, currentAdmin } from '../audit/actor';

/**
 * A refusal whose message reaches the caller. Strapi's route composer turns any other
 * ForbiddenError thrown while a route runs into a bare "Forbidden" (compose-endpoint's authorize
 * step wraps the handler and lets only PolicyError through), so the Content Manager would show
 * "Forbidden" instead of the reason. PolicyError is a ForbiddenError: still a 403.
 */
export const refused = (message: string): errors.PolicyError => new errors.PolicyError(message);

/**
 * Who may change what is already part of a ticket's record (rewrite, detach or delete a comment):
 * super admins in the admin panel (and it is recorded in history) and server code; not staff with
 * another admin role, nor anybody over the REST API.
 */
export function mayRewriteRecord(strapi: Core.Strapi): boolean {
  const admin = currentAdmin(strapi);
  if (admin) return admin.isSuperAdmin;
  return currentActor(strapi).type === 'system';
}

export const COMMENT_IS_RECORD = 'Comments are part of the ticket\u2019s record: only a super admin can edit, move or delete one (and it is recorded in the ticket\u2019s history)';
export const COMMENT_DETACH_REFUSED = 'A comment stays on its ticket: only a super admin can detach one (and it is recorded in the ticket\u2019s history)';
export const HISTORY_DETACH_REFUSED = 'History rows stay on their ticket';
