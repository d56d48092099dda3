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
    {
      // Branding for the guest form page (public/tickets/guest); not an API route.
      method: 'GET',
      path: '/tickets/guest/branding',
      handler: 'api::ticket.ticket.guestBranding',
      config: { auth: false, prefix: '' },
    },
  ],
};
