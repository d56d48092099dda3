import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { checkedEmail, invalidEmailError } from '../validation/email-address';
import { isSameRoute } from '../security/route-path';

/**
 * Deeper than this, no Strapi validator reads an email (attributes sit at the top of a body or in a
 * component or two): such subtrees (JSON field values, say) are not walked.
 */
const MAX_DEPTH = 32;

type Path = Array<string | number>;

/** Attribute names of type `email` in every content type and component (`email`, `supportAddress`). */
function emailAttributeNames(strapi: Core.Strapi): Set<string> {
  const schemas = [...Object.values(strapi.contentTypes), ...Object.values(strapi.components)] as Array<{
    attributes: Record<string, { type?: string }>;
  }>;
  return new Set(
    schemas.flatMap((schema) => Object.entries(schema.attributes).filter(([, attribute]) => attribute.type === 'email').map(([name]) => name))
  );
}

/**
 * Whether the value under `key` is an address some validator will check: a key that ends in
 * email/emails (email, requesterEmail, response_email, ccEmails), an email attribute's name, or a
 * sign-in `identifier` that holds an `@`. Keys that only start with "email" hold URLs or flags
 * (users-permissions' email_reset_password, email_confirmation).
 */
function namesAnEmail(key: string, value: string, attributeNames: Set<string>): boolean {
  const letters = key.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.endsWith('email') || letters.endsWith('emails') || attributeNames.has(key)) return true;
  return letters === 'identifier' && value.includes('@');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks, and trims in place, every address in a parsed body; returns the path of the first string
 * that is not one. Iterative (no recursion on attacker-made nesting) and linear in the body, whose
 * size strapi::body already limits.
 */
function firstBadEmail(body: Record<string, unknown> | unknown[], attributeNames: Set<string>): Path | null {
  const stack: Array<{ node: Record<string, unknown> | unknown[]; path: Path; emailKey: boolean }> = [{ node: body, path: [], emailKey: false }];
  while (stack.length > 0) {
    const { node, path, emailKey } = stack.pop()!;
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((value, index) => [index, value]) : Object.entries(node);
    for (const [key, value] of entries) {
      const childPath = [...path, key];
      if (typeof value === 'string') {
        // an array under an email key holds addresses; the Content-Type Builder's default of an email attribute is one
        const isAddress =
          typeof key === 'number'
            ? emailKey
            : namesAnEmail(key, value, attributeNames) || (key === 'default' && isRecord(node) && node.type === 'email');
        if (!isAddress || value === '') continue;
        const checked = checkedEmail(value);
        if (checked === null) return childPath;
        if (checked !== value) (node as Record<string | number, unknown>)[key] = checked; // validators see exactly what was checked
      }
      if ((isRecord(value) || Array.isArray(value)) && childPath.length < MAX_DEPTH) {
        const arrayOfAddresses = Array.isArray(value) && typeof key === 'string' && namesAnEmail(key, '', attributeNames);
        stack.push({ node: value, path: childPath, emailKey: arrayOfAddresses });
      }
    }
  }
  return null;
}

/**
 * Runs right after strapi::body, before any route, policy or Strapi validator: every email-like
 * string of a parsed body must pass the linear-time check of src/validation/email-address.ts, or
 * the request is a 400 naming the field. Strapi's own validators (yup's .email(): users-permissions,
 * the admin's routes, the `email` attribute type) backtrack exponentially on crafted addresses, and
 * some of those routes are public; checking the body, not the path, covers every route whatever its
 * prefix, letter case or trailing slash.
 *
 * One exception: the guest form's route validates its whole body first with zod (linear) and answers
 * one error per bad field, so it is left to that; its address still passes the Document Service's
 * check (src/document-hooks/email-attributes.ts) before Strapi's. A spelling of its path this
 * misses only gets the stricter answer here.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  let attributeNames: Set<string> | null = null;
  const guestPath = `${String(strapi.config.get('api.rest.prefix', '/api'))}/tickets/guest`;

  return async (ctx: Context, next: Next) => {
    const body: unknown = ctx.request.body;
    const ownValidation = ctx.method === 'POST' && isSameRoute(ctx.path, guestPath);
    if (!ownValidation && (isRecord(body) || Array.isArray(body))) {
      attributeNames ??= emailAttributeNames(strapi);
      const bad = firstBadEmail(body, attributeNames);
      if (bad) {
        // named as the content type names it (`email`, not `data.email`), like parseInput's errors
        const path = bad[0] === 'data' && bad.length > 1 ? bad.slice(1).map(String) : bad.map(String);
        throw invalidEmailError(path);
      }
    }
    await next();
  };
};
