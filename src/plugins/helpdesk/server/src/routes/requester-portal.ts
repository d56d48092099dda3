import { action } from '../../../shared/uids';

// Requesters with accounts (Authenticated role, confirmed address; see access/requester.ts).
export default {
  routes: [
    { method: 'GET', path: '/portal/tickets', handler: action('requesterPortal', 'listTickets') },
    { method: 'GET', path: '/portal/tickets/:documentId', handler: action('requesterPortal', 'getTicket') },
    { method: 'GET', path: '/portal/tickets/:documentId/comments', handler: action('requesterPortal', 'listComments') },
    { method: 'POST', path: '/portal/tickets/:documentId/comments', handler: action('requesterPortal', 'addComment') },
  ],
};
