// Strapi's default stack with the helpdesk's two request guards where the plugin asks for them:
// the body guard before strapi::body, the email pre-check right after it.
module.exports = [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  {
    name: 'plugin::helpdesk.request-body-guard',
    config: {
      multipartRoutes: [
        { method: 'POST', path: /^\/api\/upload\/?$/ },
        { method: 'POST', path: /^\/upload(\/files(\/[^/]+\/replace)?)?\/?$/ },
        { method: 'POST', path: /^\/api\/tickets\/[^/]+\/attachments\/?$/ },
        { method: 'POST', path: /^\/api\/tickets\/[^/]+\/comments\/?$/ },
        { method: 'POST', path: /^\/helpdesk-admin\/tickets\/[^/]+\/replies\/?$/ },
      ],
      drainBytes: 50 * 1024 * 1024,
    },
  },
  'strapi::body',
  'plugin::helpdesk.email-input-guard',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
