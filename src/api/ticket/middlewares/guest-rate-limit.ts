import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { RateLimit, Stores } from 'koa2-ratelimit';

interface GuestRateLimitConfig {
  max: number;
  windowMs: number;
}

/**
 * Per-IP limit on guest submissions (helpdesk.guest.rateLimit), with koa2-ratelimit as
 * users-permissions uses it for its auth routes. Counts live in this process's memory; with
 * several instances each keeps its own. The IP comes from X-Forwarded-For only with TRUST_PROXY.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const { max, windowMs } = strapi.config.get('helpdesk.guest.rateLimit') as GuestRateLimitConfig;
  const limiter = RateLimit.middleware({
    interval: windowMs,
    max,
    store: new Stores.Memory(),
    prefixKey: 'guest-ticket',
    keyGenerator: async (ctx: { request: { ip: string } }) => `guest-ticket|${ctx.request.ip}`,
    handler(ctx: { set(name: string, value: string): void; state: { rateLimit?: { reset: number } } }) {
      const reset = ctx.state.rateLimit?.reset ?? Math.ceil((Date.now() + windowMs) / 1000);
      const seconds = Math.min(Math.ceil(windowMs / 1000), Math.max(1, reset - Math.floor(Date.now() / 1000)));
      ctx.set('Retry-After', String(seconds));
      throw new errors.RateLimitError('Too many tickets from this address, please try again later');
    },
  });
  return limiter as (ctx: unknown, next: () => Promise<unknown>) => Promise<unknown>;
};
