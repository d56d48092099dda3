import type { Core } from '@strapi/strapi';
import { getService } from '../src/services';
import { cronRuleEvery } from '../src/mail-ingestion/schedule';
import { runScheduledIngestion } from '../src/mail-ingestion/scheduled';

export default {
  // Safety net behind the after-commit kick: retries, and mail left over by a stopped process.
  outboxDelivery: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await getService(strapi, 'outbox').deliverDue();
    },
    options: { rule: process.env.OUTBOX_CRON ?? '*/5 * * * * *' },
  },
  // Email-to-ticket: reads the support mailbox (a no-op unless EMAIL_TO_TICKET_ENABLED=true and IMAP is set).
  mailIngestion: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await runScheduledIngestion(strapi);
    },
    options: { rule: cronRuleEvery(Number(process.env.EMAIL_TO_TICKET_CHECK_INTERVAL || 300)) },
  },
};
