import type { Core } from '@strapi/strapi';

/** Query parameters that carry a secret: confirmation links, OAuth callbacks, admin invitations. */
const SECRET_QUERY = /([?&](?:confirmation|code|token|access_token|id_token|refresh_token|registrationToken)=)[^&#]*/gi;

/** A request URL fit for the log: the values of secret query parameters masked. */
export const loggableUrl = (url: string): string => url.replace(SECRET_QUERY, '$1[hidden]');

/**
 * Strapi's request log (strapi::logger, one `http` line per request), except that a secret in the
 * query string is masked: an address-confirmation link's token never reaches the log.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: { method: string; url: string; status: number }, next: () => Promise<void>) => {
    const start = Date.now();
    await next();
    strapi.log.http(`${ctx.method} ${loggableUrl(ctx.url)} (${Math.ceil(Date.now() - start)} ms) ${ctx.status}`);
  };
