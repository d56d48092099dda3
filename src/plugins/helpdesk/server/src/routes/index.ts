import attachment from './attachment';
import comment from './comment';
import contact from './contact';
import guestTicket from './guest-ticket';
import mailFiles from './mail-files';
import requesterPortal from './requester-portal';
import ticket from './ticket';
import ticketAttachments from './ticket-attachments';
import ticketHistory from './ticket-history';
import ticketReports from './ticket-reports';
import ticketWorkflow from './ticket-workflow';

interface ContentApiRoute {
  method: string;
  path: string;
  handler: string;
  config?: Record<string, unknown>;
}

/**
 * A plugin's routes are served under /api/<plugin> unless a route's config says `prefix: ''`
 * (the form Strapi's router honours per route, as users-permissions serves /api/auth/local): the
 * helpdesk keeps the paths its API users know (/api/tickets, /api/tickets/guest, /api/portal/...).
 */
const atApiRoot = (route: ContentApiRoute): ContentApiRoute => ({ ...route, config: { ...route.config, prefix: '' } });

/**
 * In matching order: the fixed paths (/tickets/guest, /tickets/statistics) before the core /tickets/:id.
 * Read when Strapi mounts the routes: the core routers look their content types up then.
 */
const routes = (): ContentApiRoute[] => [
  ...guestTicket.routes,
  ...ticketWorkflow.routes,
  ...ticketReports.routes,
  ...ticketAttachments.routes,
  ...requesterPortal.routes,
  ...(ticket.routes as ContentApiRoute[]),
  ...mailFiles.routes,
  ...(attachment.routes as ContentApiRoute[]),
  ...(comment.routes as ContentApiRoute[]),
  ...(contact.routes as ContentApiRoute[]),
  ...(ticketHistory.routes as ContentApiRoute[]),
];

let mounted: ContentApiRoute[] | undefined;

export default {
  'content-api': {
    type: 'content-api',
    // one list: Strapi adds each route's scope and plugin name to these objects before mounting them
    get routes() {
      mounted ??= routes().map(atApiRoot);
      return mounted;
    },
  },
};
