import type { Core, Modules } from '@strapi/strapi';
import { checkedEmail, invalidEmailError } from '../validation/email-address';
import type { DocumentCall } from './types';

/**
 * Every create and update through the Document Service, whatever its origin (REST, Content Manager,
 * server code such as mail ingestion): each `email` attribute's value passes the linear-time check
 * of src/validation/email-address.ts before Strapi's validator of the `email` type (yup, which
 * backtracks exponentially on crafted addresses) sees it. A value with stray whitespace is trimmed,
 * as the contact and ticket hooks would; anything else that fails is a 400 naming the field.
 * Top-level attributes only: no component of ours has an email attribute.
 */
export function registerEmailAttributeGuard(strapi: Core.Strapi): void {
  const emailAttributes = new Map<string, string[]>();
  const attributesOf = (uid: string): string[] => {
    let names = emailAttributes.get(uid);
    if (!names) {
      const attributes = (strapi.contentTypes[uid as keyof typeof strapi.contentTypes]?.attributes ?? {}) as Record<string, { type?: string }>;
      names = Object.entries(attributes).filter(([, attribute]) => attribute.type === 'email').map(([name]) => name);
      emailAttributes.set(uid, names);
    }
    return names;
  };

  const middleware = async (call: DocumentCall, next: () => Promise<unknown>) => {
    const data = call.params.data;
    if ((call.action === 'create' || call.action === 'update') && data) {
      for (const name of attributesOf(call.uid)) {
        const value = data[name];
        if (typeof value !== 'string' || value === '') continue;
        const checked = checkedEmail(value);
        if (checked === null) throw invalidEmailError([name]);
        if (checked !== value) call.params.data = { ...call.params.data, [name]: checked };
      }
    }
    return next();
  };
  strapi.documents.use(middleware as unknown as Modules.Documents.Middleware.Middleware);
}
