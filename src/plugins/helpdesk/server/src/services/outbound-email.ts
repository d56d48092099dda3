import { factories } from '@strapi/strapi';
import { OUTBOUND_EMAIL } from '../../../shared/uids';
import { createOutbox } from '../outbox/outbox';
import type { OutboxPolicy } from '../outbox/retry-policy';

export default factories.createCoreService(OUTBOUND_EMAIL, ({ strapi }) =>
  createOutbox(strapi, strapi.config.get('plugin::helpdesk.outbox') as OutboxPolicy)
);
