// Requesters with accounts (Authenticated role, confirmed address; see access/requester.ts).
export default {
  routes: [
    { method: 'GET', path: '/portal/tickets', handler: 'api::ticket.requester-portal.listTickets' },
    { method: 'GET', path: '/portal/tickets/:documentId', handler: 'api::ticket.requester-portal.getTicket' },
    { method: 'GET', path: '/portal/tickets/:documentId/comments', handler: 'api::ticket.requester-portal.listComments' },
    { method: 'POST', path: '/portal/tickets/:documentId/comments', handler: 'api::ticket.requester-portal.addComment' },
  ],
};
