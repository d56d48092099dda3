/**
 * Strapi's router (@koa/router over path-to-regexp, `sensitive: false`, `strict: false`) matches a
 * path in any letter case and with a trailing slash: `/API/Tickets/guest/` reaches the guest route.
 * A guard that looks at `ctx.path` before routing must match the same set of paths, or a variant
 * walks past it. We also accept several trailing slashes: guarding more than the router serves is safe.
 */
export const normaliseRoutePath = (path: string): string => path.toLowerCase().replace(/\/+$/, '') || '/';

/** Whether the router would send `requestPath` to the route declared as `routePath` (no parameters). */
export const isSameRoute = (requestPath: string, routePath: string): boolean =>
  normaliseRoutePath(requestPath) === normaliseRoutePath(routePath);

/** Whether the router would send `requestPath` to a route under `prefix` (`/api/auth` covers `/API/Auth/local/`). */
export const isUnderRoute = (requestPath: string, prefix: string): boolean => {
  const path = normaliseRoutePath(requestPath);
  const base = normaliseRoutePath(prefix);
  return path === base || path.startsWith(`${base}/`);
};
