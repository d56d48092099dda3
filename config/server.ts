import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  // loopback unless HOST says otherwise: POST /admin/register-admin is open to the first caller,
  // so a fresh install must not be reachable from the network before its first admin exists
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  // the address people reach the server at; links in mail (address confirmation) start with it
  url: env('PUBLIC_URL', ''),
  app: {
    keys: env.array('APP_KEYS')!,
  },
  // static files and local uploads (public/uploads); tests give each process a copy of its own
  dirs: { public: env('PUBLIC_DIR', './public') },
  // Behind a reverse proxy set TRUST_PROXY=true: only then is X-Forwarded-For read, and only its
  // last TRUST_PROXY_HOPS entries (the ones our proxies added), so a client cannot forge its IP.
  proxy: {
    koa: env.bool('TRUST_PROXY', false),
    maxIpsCount: env.int('TRUST_PROXY_HOPS', 1),
  },
  // the helpdesk plugin adds its tasks (outbox, mail ingestion) to this scheduler
  cron: {
    enabled: env.bool('CRON_ENABLED', true),
  },
  webhooks: {
    populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
  },
});

export default config;
