import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { createRateLimitStore } from '../db/rate-limit-store';

interface GuestRateLimitConfig {
  max: number;
  windowMs: number;
}

/**
 * Per-IP limit on guest submissions (plugin config guest.rateLimit), attached to the route as
 * users-permissions attaches its own. Counts are kept in the database (db/rate-limit-store.ts), so
 * they survive a restart and every instance shares them. The headers are koa2-ratelimit's. The IP
 * is koa's ctx.request.ip: X-Forwarded-For counts only with TRUST_PROXY, and only the entries the
 * trusted proxies added (TRUST_PROXY_HOPS).
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const { max, windowMs } = strapi.config.get('plugin::helpdesk.guest.rateLimit') as GuestRateLimitConfig;
  const store = createRateLimitStore(strapi, windowMs);

  return async (ctx: Context, next: Next) => {
    const now = new Date();
    const { hits, resetAt } = await store.hit(`guest-ticket|${ctx.request.ip}`, now);
    ctx.set('X-RateLimit-Limit', String(max));
    ctx.set('X-RateLimit-Remaining', String(Math.max(max - hits, 0)));
    ctx.set('X-RateLimit-Reset', String(Math.ceil(resetAt.getTime() / 1000)));
    if (hits > max) {
      ctx.set('Retry-After', String(Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000))));
      throw new errors.RateLimitError('Too many tickets from this address, please try again later');
    }
    return next();
  };
};
