import type { Core } from '@strapi/strapi';

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  // 'http' logs every request (Strapi's default); tests and benchmarks set LOG_LEVEL=warn
  level: env('LOG_LEVEL', 'http'),
  // the update check phones home, and this machine's network is closed
  updates: { enabled: false },
  startup: { enabled: true },
});
