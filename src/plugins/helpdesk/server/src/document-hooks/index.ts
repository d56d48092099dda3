import type { Core, Modules } from '@strapi/strapi';
import { ATTACHMENT, COMMENT, CONTACT, INBOUND_EMAIL, OUTBOUND_EMAIL, TICKET, TICKET_HISTORY, TOOL_USE } from '../../../shared/uids';
import type { DocumentCall, DocumentHook } from './types';
import { ticketHook } from './ticket';
import { commentHook } from './comment';
import { attachmentHook } from './attachment';
import { readOnly } from './read-only';
import { contactHook } from './contact';
import { outboxHook } from './outbox';
import { isLiveChange, withLiveAnnouncement } from './live';

const hooks: Record<string, DocumentHook> = {
  [TICKET]: ticketHook,
  [COMMENT]: commentHook,
  [ATTACHMENT]: attachmentHook,
  [TICKET_HISTORY]: readOnly('Ticket history'),
  [OUTBOUND_EMAIL]: outboxHook,
  [INBOUND_EMAIL]: readOnly('The inbound mail log'),
  [TOOL_USE]: readOnly('The log of canned reply and macro uses'),
  [CONTACT]: contactHook,
};

/**
 * Every create and update of helpdesk documents passes through here, whether it comes from
 * the REST API, the admin panel's Content Manager or server code: numbering, status
 * timestamps, history and the live views' announcement happen once per change, in the change's own
 * transaction.
 */
export function registerDocumentHooks(strapi: Core.Strapi): void {
  const middleware = async (ctx: DocumentCall, next: () => Promise<unknown>) => {
    const hook = hooks[ctx.uid];
    const run = () => (hook ? hook(strapi, ctx, next) : next());
    // the panel's live views hear of every change to a ticket and what hangs on it
    return isLiveChange(ctx) ? withLiveAnnouncement(strapi, ctx, run) : run();
  };
  strapi.documents.use(middleware as unknown as Modules.Documents.Middleware.Middleware);
}
