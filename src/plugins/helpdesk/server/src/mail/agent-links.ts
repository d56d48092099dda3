import type { Core } from '@strapi/strapi';
import { escapeHtml } from './render-template';

/** The template variable that holds the ticket view's address in agents' mails. */
export const TICKET_ADMIN_URL_VARIABLE = 'ticket_admin_url';

/** The admin panel's address (Strapi's `admin.absoluteUrl`: the server URL and the admin path). */
const adminBase = (strapi: Core.Strapi): string => String(strapi.config.get('admin.absoluteUrl', '/admin')).replace(/\/+$/, '');

/** Where an agent works a ticket: the Helpdesk ticket view. */
export const ticketAdminUrl = (strapi: Core.Strapi, documentId: string): string => `${adminBase(strapi)}/helpdesk/tickets/${documentId}`;

/**
 * Every mail to an agent links to the ticket view: a template that has no {ticket_admin_url} (an
 * older or edited one) gets the link after its body.
 */
export function withAgentLink(body: string, url: string): { text: string; html: string } | null {
  if (body.includes(`{${TICKET_ADMIN_URL_VARIABLE}}`)) return null;
  return { text: `\nOpen in the helpdesk: ${url}`, html: `<p><a href="${escapeHtml(url)}">Open in the helpdesk</a></p>` };
}
