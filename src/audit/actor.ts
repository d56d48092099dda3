import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';

export type ActorType = 'admin' | 'agent' | 'requester' | 'system';

/** Who made a change, kept as plain values so a history row stays readable after the account goes. */
export interface Actor {
  type: ActorType;
  id: string | null;
  name: string;
  /** users-permissions user id when the actor is an API user (for submittedBy). */
  userId?: number;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: 'System' };

const explicitActor = new AsyncLocalStorage<Actor>();

/** Runs `work` on behalf of `actor` (guest submissions, mail ingestion), whatever the request says. */
export function runAs<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
  return explicitActor.run(actor, work);
}

interface AuthState {
  user?: { id?: number; firstname?: string; lastname?: string; username?: string; email?: string };
  auth?: { strategy?: { name?: string } };
}

/** The actor behind the current change: an explicit one, the request's authenticated user, or the system. */
export function currentActor(strapi: Core.Strapi): Actor {
  const explicit = explicitActor.getStore();
  if (explicit) return explicit;

  const state = strapi.requestContext.get()?.state as AuthState | undefined;
  const user = state?.user;
  const strategy = state?.auth?.strategy?.name;
  if (!user || user.id === undefined) return SYSTEM_ACTOR;

  if (strategy === 'admin') {
    const fullName = [user.firstname, user.lastname].filter(Boolean).join(' ');
    return { type: 'admin', id: String(user.id), name: fullName || user.email || `admin #${user.id}` };
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
