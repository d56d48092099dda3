import { action } from '../../../shared/uids';

// Files onto a ticket, in one request: upload, attachment records and history, or nothing at all.
// The temp files of the request are removed by plugin::helpdesk.request-body-guard, whatever happens (also
// when authentication refuses the request before any route middleware would run).
export default {
  routes: [
    {
      method: 'POST',
      path: '/tickets/:documentId/attachments',
      handler: action('ticketAttachment', 'create'),
    },
  ],
};
