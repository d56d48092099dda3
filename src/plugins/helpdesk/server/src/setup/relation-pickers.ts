import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { listAgents } from '../access/staff-identity';
import { TICKET } from '../../../shared/uids';

/** Relation fields whose Content Manager picker offers active agents only (saving anybody else is refused). */
export const AGENT_PICKERS: Record<string, readonly string[]> = {
  [TICKET]: ['assignee'],
};

interface PluginRoute {
  method: string;
  path: string;
  handler: string;
  config?: { policies?: unknown[]; middlewares?: unknown[] };
}

type PluginRoutes = Record<string, { routes?: PluginRoute[] } | PluginRoute[]>;

/**
 * Route middleware for the Content Manager's "available relations" endpoint
 * (GET /content-manager/relations/:model/:targetField, what a picker lists and searches): for an
 * agent picker, the query gets one more filter, `id $in <active agents>`, before the controller
 * reads it. The controller merges the request's `filters` with its own (search on the mainField,
 * ids to omit), so search and paging keep working on the agents alone.
 *
 * The parsed query object is changed in place: koa caches it per query string, so the controller
 * reads this same object (re-serialising it would drop an empty `$in` and cut long arrays).
 */
export function agentPickerMiddleware(strapi: Core.Strapi) {
  return async (ctx: Context, next: Next) => {
    const params = (ctx as unknown as { params: Record<string, string> }).params;
    if (!AGENT_PICKERS[params.model]?.includes(params.targetField)) return next();
    const ids = (await listAgents(strapi)).map((agent) => agent.id);
    const query = ctx.request.query as Record<string, unknown>;
    const agentsOnly = { id: { $in: ids.length > 0 ? ids : [0] } };
    const filters = query.filters as Record<string, unknown> | undefined;
    query.filters = filters ? { $and: [filters, agentsOnly] } : agentsOnly;
    return next();
  };
}

/** In register(): adds the middleware to the Content Manager's relations route (no fork). */
export function restrictAgentPickers(strapi: Core.Strapi): void {
  const routes = strapi.plugin('content-manager').routes as unknown as PluginRoutes;
  const all = Object.values(routes).flatMap((group) => (Array.isArray(group) ? group : group.routes ?? []));
  const route = all.find((candidate) => candidate.handler === 'relations.findAvailable');
  if (!route) throw new Error('content-manager: the relations.findAvailable route is gone; the assignee picker cannot be limited to agents');
  route.config = { ...route.config, middlewares: [...(route.config?.middlewares ?? []), agentPickerMiddleware(strapi)] };
}
