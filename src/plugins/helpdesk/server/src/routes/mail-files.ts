import { action } from '../../../shared/uids';

// A file a reply mail links to instead of carrying it (too large): the signed, expiring link is the
// credential, so the route takes no login (see src/mail/file-links.ts).
export default {
  routes: [
    {
      method: 'GET',
      path: '/mail-files/:documentId/:expires/:signature',
      handler: action('mailFile', 'download'),
      config: { auth: false },
    },
  ],
};
