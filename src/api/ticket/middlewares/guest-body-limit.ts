import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

/** Refuses guest submissions larger than helpdesk.guest.bodyLimitBytes (the global body limit is far larger). */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const limit = strapi.config.get('helpdesk.guest.bodyLimitBytes') as number;
  return async (ctx: { request: { length?: number } }, next: () => Promise<unknown>) => {
    if ((ctx.request.length ?? 0) > limit) {
      throw new errors.PayloadTooLargeError(`The request body must be at most ${limit} bytes`);
    }
    return next();
  };
};
