import { errors } from '@strapi/utils';
import type { DocumentHook } from './types';

const WRITES = new Set(['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft']);

/** History is an audit trail: no one writes it through the Document Service (REST, admin panel or
 * code). The history service records rows through the query engine instead. */
export const historyGuard: DocumentHook = async (_strapi, call, next) => {
  if (WRITES.has(call.action)) {
    throw new errors.ForbiddenError('Ticket history is written by the server and cannot be changed');
  }
  return next();
};
