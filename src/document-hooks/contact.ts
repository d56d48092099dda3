import { normalizeEmail } from '../api/ticket/domain/ticket-rules';
import { isUniqueViolation } from '../db/errors';
import { fieldValidationError } from '../validation/parse';
import type { DocumentHook } from './types';

/** One contact per email address: stored lower-cased, and a second contact for an address is a 400. */
export const contactHook: DocumentHook = async (_strapi, call, next) => {
  if (call.action !== 'create' && call.action !== 'update') return next();
  const data = call.params.data;
  if (data && typeof data.email === 'string') {
    call.params.data = { ...data, email: normalizeEmail(data.email) };
  }
  try {
    return await next();
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldValidationError('email', 'a contact with this email already exists');
    throw error;
  }
};
