import { refused } from './record-protection';
import type { DocumentHook } from './types';

const WRITES = new Set(['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft']);

/**
 * For records only the server writes (history, the outbox): the Document Service refuses every
 * write, from REST, the admin panel or code alike; their services write through the query engine.
 */
export const readOnly =
  (what: string): DocumentHook =>
  async (_strapi, call, next) => {
    if (WRITES.has(call.action)) throw refused(`${what} is written by the server and cannot be changed`);
    return next();
  };
