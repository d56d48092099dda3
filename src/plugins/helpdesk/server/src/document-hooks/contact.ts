import type { Core } from '@strapi/strapi';
import { normalizeEmail, type HistoryChange } from '../domain/ticket-rules';
import { resolveActor } from '../audit/actor';
import { isUniqueViolation } from '../db/errors';
import { CONTACT } from '../../../shared/uids';
import { fieldValidationError } from '../validation/parse';
import type { DocumentCall, DocumentHook, Next } from './types';
import { getService } from '../get-service';

/** The requester details an audit cares about: where mail goes and who the person is. */
const AUDITED_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'company', 'branch'] as const;
type ContactRow = { id: number } & Partial<Record<(typeof AUDITED_FIELDS)[number], string | null>>;

const loadContact = async (strapi: Core.Strapi, where: { documentId: string } | { id: number }) =>
  (await strapi.db.query(CONTACT).findOne({ where, select: ['id', ...AUDITED_FIELDS] })) as ContactRow | null;

async function writeChecked(next: Next): Promise<unknown> {
  try {
    return await next();
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldValidationError('email', 'a contact with this email already exists');
    throw error;
  }
}

/**
 * A contact's changes are recorded as history rows on the contact (not on each of its tickets: one
 * edit would otherwise repeat on every ticket), one `contact_changed` row per field, with the
 * old and new value, in the update's transaction.
 */
async function updateContact(strapi: Core.Strapi, call: DocumentCall, next: Next): Promise<unknown> {
  const documentId = call.params.documentId;
  if (!documentId) return writeChecked(next);
  return strapi.db.transaction(async () => {
    const before = await loadContact(strapi, { documentId });
    const result = await writeChecked(next);
    const after = before && (await loadContact(strapi, { id: before.id }));
    if (before && after) {
      const changes: HistoryChange[] = AUDITED_FIELDS.filter((field) => (before[field] ?? null) !== (after[field] ?? null)).map(
        (field) => ({ action: 'contact_changed', fieldName: field, oldValue: before[field] ?? null, newValue: after[field] ?? null })
      );
      await getService(strapi, 'history').recordContact(before.id, await resolveActor(strapi), changes);
    }
    return result;
  });
}

/** One contact per email address: stored lower-cased, and a second contact for an address is a 400. */
export const contactHook: DocumentHook = async (strapi, call, next) => {
  if (call.action !== 'create' && call.action !== 'update') return next();
  const data = call.params.data;
  if (data && typeof data.email === 'string') {
    call.params.data = { ...data, email: normalizeEmail(data.email) };
  }
  return call.action === 'update' ? updateContact(strapi, call, next) : writeChecked(next);
};
