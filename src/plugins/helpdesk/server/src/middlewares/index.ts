/** The helpdesk's middlewares (plugin::helpdesk.<name>): guest-rate-limit per route, the rest in the host's config/middlewares.ts. */
import authCookieSecurity from './auth-cookie-security';
import emailInputGuard from './email-input-guard';
import guestRateLimit from './guest-rate-limit';
import requestBodyGuard from './request-body-guard';
import requestLog from './request-log';

export default {
  'auth-cookie-security': authCookieSecurity,
  'email-input-guard': emailInputGuard,
  'guest-rate-limit': guestRateLimit,
  'request-body-guard': requestBodyGuard,
  'request-log': requestLog,
};
