import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
  // the agents' refresh cookie is Secure exactly when the request is HTTPS (see the file for why)
  { name: 'global::auth-cookie-security', config: { secure: env('AUTH_COOKIE_SECURE') } },
];

export default config;
