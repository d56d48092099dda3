import { EXCEPT_ACCOUNT_MAILS } from '../outbox/account-mail';
import { readOnly } from './read-only';
import type { DocumentHook } from './types';

const READS = new Set(['findMany', 'findFirst', 'findOne', 'count']);
const writtenByServer = readOnly('The outbox');

/**
 * The outbox through the Document Service: never written, and read without account mails
 * (outbox/account-mail.ts), whoever asks; the list's count is a read too, so it agrees.
 */
export const outboxHook: DocumentHook = async (strapi, call, next) => {
  if (!READS.has(call.action)) return writtenByServer(strapi, call, next);
  const { filters } = call.params;
  call.params.filters = filters ? { $and: [filters, EXCEPT_ACCOUNT_MAILS] } : EXCEPT_ACCOUNT_MAILS;
  return next();
};
