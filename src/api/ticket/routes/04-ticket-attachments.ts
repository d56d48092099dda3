// Files onto a ticket, in one request: upload, attachment records and history, or nothing at all.
// The temp-file cleanup wraps the action so that refused uploads leave nothing in the temp directory.
export default {
  routes: [
    {
      method: 'POST',
      path: '/tickets/:documentId/attachments',
      handler: 'api::ticket.ticket-attachment.create',
      config: {
        middlewares: ['api::attachment.multipart-cleanup'],
      },
    },
  ],
};
