/**
 * One linear-time check for email addresses, run before any of Strapi's own email validators.
 *
 * yup's `.email()` (users-permissions, the admin's validators, the `email` attribute type behind the
 * Content Manager and the Document Service) backtracks exponentially on input such as
 * `"Millions Lottery Spain tr"@example.com>` (40 characters: seconds of blocked event loop, 60:
 * hours), and polynomially on long dotted domains with a bad last label. Only strings this check
 * accepts may reach those validators: it accepts a strict subset of what yup accepts, which yup
 * matches on its first path. No regex here can backtrack: each is one anchored character class.
 *
 * Accepted: at most 254 characters, exactly one `@`, a local part of dot-separated atoms of RFC 5322
 * atext (letters, digits and !#$%&'*+/=?^_`{|}~-; no quotes, spaces or brackets), and a domain of
 * at least two dot-separated labels of letters, digits and inner hyphens whose last label starts
 * and ends with a letter. ASCII only (as the guest form's zod check).
 */
import { domainToASCII } from 'node:url';
import { errors } from '@strapi/utils';

/** RFC 5321's limit on a forward path; also the contact's and ticket's maxLength. */
export const MAX_EMAIL_LENGTH = 254;

/** The message every refusal uses, so that a client sees one wording for one rule. */
export const INVALID_EMAIL_MESSAGE = 'must be a valid email address';

const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^[A-Za-z0-9-]+$/;
const LETTER = /^[A-Za-z]$/;

const isAtomList = (text: string): boolean => text.split('.').every((atom) => ATOM.test(atom));

function isDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const last = labels[labels.length - 1];
  if (last.length < 2 || !LETTER.test(last[0]) || !LETTER.test(last[last.length - 1])) return false;
  return labels.every((label) => LABEL.test(label) && !label.startsWith('-') && !label.endsWith('-'));
}

/** Whether `value` is an address Strapi's validators may see (see the module's comment). */
export function isEmailAddress(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_EMAIL_LENGTH) return false;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return false;
  return isAtomList(value.slice(0, at)) && isDomain(value.slice(at + 1));
}

/**
 * An address as a mail header gave it, made into one we can store, or null when it is not one.
 * Lower-cased and trimmed; a stray trailing `>` (`bob@example.com>`) and a trailing dot on the
 * domain (`bob@example.com.`, the DNS root) are dropped; a quoted local part that needs no quotes
 * (`"bob"@example.com`) is unquoted; an internationalised domain becomes its ASCII (punycode)
 * form. Anything else that fails isEmailAddress stays refused.
 */
export function normalizeMailAddress(raw: string): string | null {
  let value = raw.trim().toLowerCase();
  if (value.length > 4 * MAX_EMAIL_LENGTH) return null;
  let end = value.length;
  while (end > 0 && (value[end - 1] === '>' || value[end - 1] === '.')) end -= 1;
  value = value.slice(0, end);
  const at = value.lastIndexOf('@');
  if (at < 0) return null;
  let local = value.slice(0, at);
  let domain = value.slice(at + 1);
  if (local.length > 2 && local.startsWith('"') && local.endsWith('"') && isAtomList(local.slice(1, -1))) local = local.slice(1, -1);
  if (/[^\x00-\x7f]/.test(domain)) domain = domainToASCII(domain);
  value = `${local}@${domain}`;
  return isEmailAddress(value) ? value : null;
}

/** The 400 for an address that failed isEmailAddress, naming the field as parseInput does. */
export function invalidEmailError(path: string[]): InstanceType<typeof errors.ValidationError> {
  return new errors.ValidationError(`${path.join('.')}: ${INVALID_EMAIL_MESSAGE}`, {
    errors: [{ path, message: INVALID_EMAIL_MESSAGE, name: 'ValidationError' }],
  });
}

/**
 * `value` when it passes isEmailAddress, the value trimmed when that passes (what a validator is
 * then given), or null: refuse it.
 */
export function checkedEmail(value: string): string | null {
  if (isEmailAddress(value)) return value;
  const trimmed = value.trim();
  return trimmed !== value && isEmailAddress(trimmed) ? trimmed : null;
}
