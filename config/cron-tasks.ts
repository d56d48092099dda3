import type { Core } from '@strapi/strapi';
import { outboxService } from '../src/services';

export default {
  // Safety net behind the after-commit kick: retries, and mail left over by a stopped process.
  outboxDelivery: {
    task: async ({ strapi }: { strapi: Core.Strapi }) => {
      await outboxService(strapi).deliverDue();
    },
    options: { rule: process.env.OUTBOX_CRON ?? '*/5 * * * * *' },
  },
};
