import { action } from '../../../shared/uids';

// Ticket reports. Route files load in alphabetical order, so these are matched before the core
// router's GET /tickets/:id would take "statistics" for a document id. Agents only (access/roles.ts).
export default {
  routes: [
    { method: 'GET', path: '/tickets/statistics', handler: action('ticketReport', 'statistics') },
    { method: 'GET', path: '/tickets/export.csv', handler: action('ticketReport', 'exportCsv') },
  ],
};
