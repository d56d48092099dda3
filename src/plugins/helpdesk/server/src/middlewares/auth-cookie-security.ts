import type { Core } from '@strapi/strapi';
import { isUnderRoute } from '../security/route-path';

export interface AuthCookieSecurityConfig {
  /** AUTH_COOKIE_SECURE: 'true' always marks the cookie Secure, 'false' never; unset follows the request. */
  secure?: string;
}

interface CookieOptions {
  secure?: boolean;
  [key: string]: unknown;
}

interface CookieContext {
  path: string;
  request: { secure: boolean };
  cookies: { secure?: boolean; set(name: string, value?: string | null, options?: CookieOptions): unknown };
}

/**
 * users-permissions marks its refresh cookie Secure whenever NODE_ENV=production, and koa refuses
 * to set a Secure cookie on a plain-HTTP request, so an agent's login answered 500 on a laptop
 * running `npm run start`. Here the flag follows the request, as the admin panel's own cookies do:
 * Secure over HTTPS, directly or through a trusted proxy (TRUST_PROXY + X-Forwarded-Proto).
 */
export default (config: AuthCookieSecurityConfig, { strapi }: { strapi: Core.Strapi }) => {
  const forced = config.secure === 'true' ? true : config.secure === 'false' ? false : undefined;
  const cookieName = (): string =>
    String(strapi.config.get('plugin::users-permissions.sessions.cookie.name', '') || 'strapi_up_refresh');

  return async (ctx: CookieContext, next: () => Promise<void>) => {
    if (!isUnderRoute(ctx.path, '/api/auth')) return next();
    const cookies = ctx.cookies;
    const set = cookies.set.bind(cookies);
    const name = cookieName();
    // a TLS-terminating proxy we do not trust for headers: the browser still talks HTTPS
    if (forced === true) cookies.secure = true;
    cookies.set = (cookie, value, options) =>
      set(cookie, value, cookie === name && options ? { ...options, secure: forced ?? ctx.request.secure } : options);
    return next();
  };
};
