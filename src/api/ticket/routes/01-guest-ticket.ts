// Guest submission: the one helpdesk route the Public role may call (see access/roles.ts).
// Rate limit first, so that invalid attempts count too.
export default {
  routes: [
    {
      method: 'POST',
      path: '/tickets/guest',
      handler: 'api::ticket.ticket.guestCreate',
      config: {
        middlewares: ['api::ticket.guest-rate-limit', 'api::ticket.guest-body-limit'],
      },
    },
  ],
};
