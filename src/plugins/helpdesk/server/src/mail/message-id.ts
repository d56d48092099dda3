import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';

/** The domain of our Message-IDs: the sender address's, so replies thread to a name we own. */
export function mailDomain(strapi: Core.Strapi): string {
  const from = String(strapi.config.get('plugin::helpdesk.mail.from', 'support@helpdesk.invalid'));
  return from.split('@')[1]?.replace(/[^a-zA-Z0-9.-]/g, '') || 'helpdesk.invalid';
}

export function newMessageId(strapi: Core.Strapi): string {
  return `<${randomUUID()}@${mailDomain(strapi)}>`;
}
