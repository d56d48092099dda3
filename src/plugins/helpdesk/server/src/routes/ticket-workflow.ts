import { action } from '../../../shared/uids';

// Staff actions on one ticket (Agent role; see access/roles.ts). Loaded before the core router.
export default {
  routes: [
    { method: 'POST', path: '/tickets/:documentId/status', handler: action('ticketWorkflow', 'changeStatus') },
    { method: 'POST', path: '/tickets/:documentId/assign', handler: action('ticketWorkflow', 'assign') },
    { method: 'POST', path: '/tickets/:documentId/comments', handler: action('ticketWorkflow', 'addComment') },
  ],
};
