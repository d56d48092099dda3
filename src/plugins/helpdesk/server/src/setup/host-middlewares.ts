import type { Core } from '@strapi/strapi';

type MiddlewareEntry = string | { name?: string; resolve?: string };

/** The app-level middlewares the helpdesk needs from the host's config/middlewares.ts, and where. */
const NEEDED = [
  {
    name: 'plugin::helpdesk.request-body-guard',
    before: 'strapi::body',
    why: 'guest submissions read as JSON with a byte limit, multipart only on upload routes',
  },
  {
    name: 'plugin::helpdesk.email-input-guard',
    after: 'strapi::body',
    why: "email-like input checked in linear time before Strapi's backtracking validators",
  },
] as const;

const entryName = (entry: MiddlewareEntry): string | undefined => (typeof entry === 'string' ? entry : entry.name ?? entry.resolve);

/**
 * A plugin cannot add app-level middlewares itself: the host lists them. Checked at every boot, one
 * log line per missing or misplaced entry, naming it and where it goes.
 */
export function missingMiddlewares(middlewares: MiddlewareEntry[]): string[] {
  const names = middlewares.map(entryName);
  const problems: string[] = [];
  for (const needed of NEEDED) {
    const at = names.indexOf(needed.name);
    const anchor = names.indexOf('before' in needed ? needed.before : needed.after);
    const placed = 'before' in needed ? at < anchor : at > anchor;
    if (at === -1) problems.push(`add '${needed.name}' ${'before' in needed ? `before '${needed.before}'` : `after '${needed.after}'`} (${needed.why})`);
    else if (anchor !== -1 && !placed) problems.push(`move '${needed.name}' ${'before' in needed ? `before '${needed.before}'` : `after '${needed.after}'`}`);
  }
  return problems;
}

export function warnAboutMissingMiddlewares(strapi: Core.Strapi): void {
  for (const problem of missingMiddlewares((strapi.config.get('middlewares') ?? []) as MiddlewareEntry[])) {
    strapi.log.warn(`[helpdesk] config/middlewares: ${problem}`);
  }
}
