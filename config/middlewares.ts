import type { Core } from '@strapi/strapi';
import { CSP_DEFAULTS } from '@strapi/utils';
import { attachmentLimits, multipartErrorHandler } from '../src/plugins/helpdesk/server/src/domain/attachment-policy';
import { stampPartOrder } from '../src/plugins/helpdesk/server/src/domain/multipart-files';
import { corsOrigin, corsPolicy } from '../src/plugins/helpdesk/server/src/security/cors';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => [
  // strapi::logger's request line, with secrets in query strings (confirmation links) masked
  'plugin::helpdesk.request-log',
  'strapi::errors',
  // Strapi's policy, and images from anywhere: a customer's mail shows its remote images when staff
  // click "Show images" (the ticket view's mail frame has its own stricter policy until then)
  {
    name: 'strapi::security',
    config: {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { ...CSP_DEFAULTS, 'img-src': [...CSP_DEFAULTS['img-src'], 'http:', 'https:'], upgradeInsecureRequests: null },
      },
    },
  },
  // only listed origins may read responses with credentials (CORS_ORIGINS; see src/security/cors.ts)
  { name: 'strapi::cors', config: { origin: corsOrigin(corsPolicy(env)), credentials: true } },
  'strapi::poweredBy',
  'strapi::query',
  // Before any body is parsed: the guest endpoint takes JSON only, read with its own limit on the
  // decompressed bytes; multipart only where uploads belong; temp files removed whatever happens.
  {
    name: 'plugin::helpdesk.request-body-guard',
    config: {
      multipartRoutes: [
        { method: 'POST', path: /^\/api\/upload\/?$/ }, // media library (content API; ?id= replaces)
        { method: 'POST', path: /^\/upload(\/files(\/[^/]+\/replace)?)?\/?$/ }, // admin panel's media library
        { method: 'POST', path: /^\/api\/tickets\/[^/]+\/attachments\/?$/ },
        { method: 'POST', path: /^\/api\/tickets\/[^/]+\/comments\/?$/ }, // a staff comment with files
        { method: 'POST', path: /^\/helpdesk-admin\/tickets\/[^/]+\/replies\/?$/ }, // back office: a reply with files
      ],
      drainBytes: attachmentLimits(env).maxRequestBytes,
    },
  },
  // Multipart files are written to disk before any route runs: stop reading at what an upload may
  // carry (ATTACHMENT_MAX_FILES files of ATTACHMENT_MAX_BYTES), with a 413 that says so.
  {
    name: 'strapi::body',
    config: {
      // stampPartOrder: a field's files keep the order they were sent (formidable lists them as they finish)
      formidable: { maxFileSize: attachmentLimits(env).maxRequestBytes, onFileBegin: stampPartOrder },
      onError: multipartErrorHandler(attachmentLimits(env)),
    },
  },
  // every email-like string of a parsed body passes a linear-time check before Strapi's own
  // validators (which backtrack exponentially on crafted addresses) see it
  'plugin::helpdesk.email-input-guard',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  // the agents' refresh cookie is Secure exactly when the request is HTTPS (see the file for why)
  { name: 'plugin::helpdesk.auth-cookie-security', config: { secure: env('AUTH_COOKIE_SECURE') } },
];

export default config;
