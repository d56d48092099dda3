import { action, GUEST_RATE_LIMIT_MIDDLEWARE } from '../../../shared/uids';

// Guest submission: the one helpdesk route the Public role may call (see access/roles.ts).
// Rate limit first, so that invalid attempts count too. The content type (JSON only) and the body
// limit on the bytes read are enforced before parsing, by plugin::helpdesk.request-body-guard.
export default {
  routes: [
    {
      method: 'POST',
      path: '/tickets/guest',
      handler: action('ticket', 'guestCreate'),
      config: {
        middlewares: [GUEST_RATE_LIMIT_MIDDLEWARE],
      },
    },
  ],
};
