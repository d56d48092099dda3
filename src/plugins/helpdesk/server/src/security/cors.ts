import type { Core } from '@strapi/strapi';

type Env = Core.Config.Shared.ConfigParams['env'];

export interface CorsPolicy {
  /** Exact origins (scheme://host[:port]) that may read responses, with credentials. */
  origins: string[];
  /** Development only: http://localhost and http://127.0.0.1 on any port. */
  loopbackAnyPort: boolean;
}

const LOOPBACK_ANY_PORT = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

/** scheme://host[:port] of a URL, or null for something that is not an absolute http(s) URL. */
function originOf(value: string): string | null {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * CORS_ORIGINS (comma list) when set; otherwise only the server's own public origin (PUBLIC_URL)
 * and, in development, the loopback addresses on any port (the admin dev server, a local frontend).
 */
export function corsPolicy(env: Env): CorsPolicy {
  const listed = env.array('CORS_ORIGINS', []).map(String).filter((entry) => entry.trim() !== '');
  const wanted = listed.length > 0 ? listed : [env('PUBLIC_URL', '')];
  const origins = [...new Set(wanted.map(originOf).filter((origin): origin is string => origin !== null))];
  return { origins, loopbackAnyPort: listed.length === 0 && env('NODE_ENV', 'development') === 'development' };
}

/** Whether a request's Origin header may read the response. `null` (sandboxed frames, file://) never may. */
export function isAllowedOrigin(policy: CorsPolicy, origin: string): boolean {
  if (!origin || origin === 'null') return false;
  return policy.origins.includes(origin) || (policy.loopbackAnyPort && LOOPBACK_ANY_PORT.test(origin));
}

/**
 * The `origin` option of strapi::cors. Its default ('*' with credentials) reflects any Origin, so
 * any web page could read an agent's refreshed token. Strapi compares the request's Origin with the
 * list this returns: a list holding just that origin grants it, an empty one grants nothing (no
 * Access-Control-Allow-Origin, no Access-Control-Allow-Credentials).
 */
export const corsOrigin =
  (policy: CorsPolicy) =>
  (ctx: { get(header: string): string }): string[] => {
    const origin = ctx.get('Origin');
    return isAllowedOrigin(policy, origin) ? [origin] : [];
  };
