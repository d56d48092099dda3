// Staff actions on one ticket (Agent role; see access/roles.ts). Loaded before the core router.
export default {
  routes: [
    { method: 'POST', path: '/tickets/:documentId/status', handler: 'api::ticket.ticket-workflow.changeStatus' },
    { method: 'POST', path: '/tickets/:documentId/assign', handler: 'api::ticket.ticket-workflow.assign' },
    { method: 'POST', path: '/tickets/:documentId/comments', handler: 'api::ticket.ticket-workflow.addComment' },
  ],
};
