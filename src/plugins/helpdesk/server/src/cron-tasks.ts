import type { Core } from '@strapi/strapi';
import { getService } from './get-service';
import { cronRuleEvery } from './mail-ingestion/schedule';
import { runScheduledIngestion } from './mail-ingestion/scheduled';

/**
 * The helpdesk's scheduled work, added to Strapi's own scheduler in bootstrap (a plugin's equivalent
 * of config/cron-tasks.ts); off with the host's cron (CRON_ENABLED=false).
 */
export default {
  // Safety net behind the after-commit kick: retries, and mail left over by a stopped process.
  helpdeskOutboxDelivery: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await getService(strapi, 'outbox').deliverDue();
    },
    options: { rule: process.env.OUTBOX_CRON ?? '*/5 * * * * *' },
  },
  // Email-to-ticket: reads the support mailbox (a no-op unless EMAIL_TO_TICKET_ENABLED=true and IMAP is set).
  helpdeskMailIngestion: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await runScheduledIngestion(strapi);
    },
    options: { rule: cronRuleEvery(Number(process.env.EMAIL_TO_TICKET_CHECK_INTERVAL || 300)) },
  },
  // Warns agents of SLA targets about to pass (lead time in Helpdesk settings); once per target, so
  // several instances may run it: the notification's unique key lets one of them tell.
  helpdeskSlaWarnings: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await getService(strapi, 'notifications').warnOfDueTargets();
    },
    options: { rule: process.env.SLA_WARNING_CRON ?? '0 * * * * *' },
  },
};
