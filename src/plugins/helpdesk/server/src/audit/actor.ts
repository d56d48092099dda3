import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { agentForAdmin } from '../access/staff-identity';

export type ActorType = 'admin' | 'agent' | 'requester' | 'system';

/** Who made a change, kept as plain values so a history row stays readable after the account goes. */
export interface Actor {
  type: ActorType;
  id: string | null;
  name: string;
  /** users-permissions user id when the actor is an API user or an admin who is an agent (for submittedBy, authorUser). */
  userId?: number;
  /** The surface the change came through, when it was the admin panel (the ticket's or comment's `source`). */
  surface?: 'admin';
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: 'System' };

/** Code of the admin role Strapi gives every right to. */
export const SUPER_ADMIN_ROLE_CODE = 'strapi-super-admin';

const explicitActor = new AsyncLocalStorage<Actor>();

/** Runs `work` on behalf of `actor` (guest submissions, mail ingestion), whatever the request says. */
export function runAs<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
  return explicitActor.run(actor, work);
}

interface AuthState {
  user?: {
    id?: number;
    firstname?: string | null;
    lastname?: string | null;
    username?: string;
    email?: string;
    roles?: Array<{ code?: string }>;
  };
  auth?: { strategy?: { name?: string } };
}

const requestState = (strapi: Core.Strapi): AuthState | undefined => strapi.requestContext.get()?.state as AuthState | undefined;

/** The admin-panel user behind the current request (Content Manager, /helpdesk-admin), if any. */
export function currentAdmin(strapi: Core.Strapi): { id: number; email: string | null; isSuperAdmin: boolean } | null {
  if (explicitActor.getStore()) return null;
  const state = requestState(strapi);
  if (state?.auth?.strategy?.name !== 'admin' || state.user?.id === undefined) return null;
  return {
    id: state.user.id,
    email: state.user.email ?? null,
    isSuperAdmin: (state.user.roles ?? []).some((role) => role.code === SUPER_ADMIN_ROLE_CODE),
  };
}

/**
 * The actor as the request shows it, without looking anything up: an explicit one, the request's
 * authenticated user, or the system. An admin user is named as an admin here; `resolveActor` maps
 * an admin who is also an agent to that agent, and is what the document hooks use.
 */
export function currentActor(strapi: Core.Strapi): Actor {
  const explicit = explicitActor.getStore();
  if (explicit) return explicit;

  const state = requestState(strapi);
  const user = state?.user;
  const strategy = state?.auth?.strategy?.name;
  if (!user || user.id === undefined) return SYSTEM_ACTOR;

  if (strategy === 'admin') {
    const fullName = [user.firstname, user.lastname].filter(Boolean).join(' ');
    return { type: 'admin', id: String(user.id), name: fullName || user.email || `admin #${user.id}`, surface: 'admin' };
  }
  if (strategy === 'users-permissions') {
    return {
      type: 'agent',
      id: String(user.id),
      name: user.username || user.email || `user #${user.id}`,
      userId: user.id,
    };
  }
  return SYSTEM_ACTOR;
}

/** The same person as an agent, named as their agent account is over REST. */
export const agentActor = (agent: { id: number; username: string; email: string }, surface?: 'admin'): Actor => ({
  type: 'agent',
  id: String(agent.id),
  name: agent.username || agent.email,
  userId: agent.id,
  ...(surface ? { surface } : {}),
});

/** One lookup per request: the hooks of one request (a ticket and its history, a comment) share it. */
const resolvedPerRequest = new WeakMap<object, Actor>();

/**
 * Who is acting, with one staff identity: an admin user whose email is an active agent's acts as
 * that agent (same actorType, id and name as over REST), so history and comment authorship name
 * one person whichever surface they used. Anyone else is as `currentActor` says.
 */
export async function resolveActor(strapi: Core.Strapi): Promise<Actor> {
  const actor = currentActor(strapi);
  if (actor.type !== 'admin' || explicitActor.getStore()) return actor;
  const ctx = strapi.requestContext.get();
  const cached = ctx ? resolvedPerRequest.get(ctx) : undefined;
  if (cached) return cached;
  const agent = await agentForAdmin(strapi, { email: requestState(strapi)?.user?.email ?? null });
  const resolved = agent ? agentActor(agent, 'admin') : actor;
  if (ctx) resolvedPerRequest.set(ctx, resolved);
  return resolved;
}
