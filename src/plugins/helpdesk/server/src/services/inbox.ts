import type { Core } from '@strapi/strapi';
import { inboxService } from '../back-office/inbox/service';
import { parseInboxQuery, type InboxQuery } from '../back-office/inbox/validators';

/** The back office's inbox, for server code: the query is checked as the admin route checks it. */
const inbox = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = inboxService(strapi);
  return {
    ...service,
    parseQuery: (query: Record<string, unknown>): InboxQuery => parseInboxQuery(query),
  };
};

export type InboxService = ReturnType<typeof inbox>;
export default inbox;
