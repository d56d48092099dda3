import type { Core } from '@strapi/strapi';
import { registerDocumentHooks } from './document-hooks';
import { registerEmailAttributeGuard } from './document-hooks/email-attributes';
import { ensureAgentRole, ensurePublicGuestAccess, ensureRequesterAccess } from './access/roles';
import { applyAccountSettings } from './setup/registration';
import { applyContentManagerLayouts } from './setup/content-manager-layouts';
import { seedDefaultTemplates } from './mail/default-templates';
import { ensureApiDocs, registerApiDocs } from './api-docs/openapi';
import { ingestionStatusLine, readIngestionConfig } from './mail-ingestion/config';
import { stopScheduledIngestion } from './mail-ingestion/scheduled';
import { backfillCcFromParticipants } from './mail-ingestion/cc-list';
import { registerBackOffice } from './back-office';
import { ensureSupportAgentRole } from './access/support-agent-role';
import { restrictAgentPickers } from './setup/relation-pickers';
import { withdrawRefusedActions } from './setup/server-written-types';
import { backfillContactDisplayNames, keepContactDisplayNames } from './setup/contact-display';
import { getService } from './services';
import { action } from './uids';

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    // ticket tags: JSON underneath, edited as chips in the Content Manager (src/admin/fields)
    strapi.customFields.register({ name: 'tags', type: 'json' });
    // first: no email attribute reaches Strapi's backtracking validator unchecked, from any origin
    registerEmailAttributeGuard(strapi);
    registerDocumentHooks(strapi);
    await registerBackOffice(strapi);
    restrictAgentPickers(strapi);
    registerApiDocs(strapi);
    // Branding for the guest form page (public/tickets/guest): a page asset, outside /api.
    strapi.server.routes([
      { method: 'GET', path: '/tickets/guest/branding', handler: action('ticket', 'guestBranding'), config: { auth: false } },
      // the optional proof of work (GUEST_CHALLENGE=altcha): a challenge, and the widget's own files
      { method: 'GET', path: '/tickets/guest/challenge', handler: action('ticket', 'guestChallenge'), config: { auth: false } },
      { method: 'GET', path: '/tickets/guest/altcha/:version/:file', handler: action('ticket', 'guestWidget'), config: { auth: false } },
    ]);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    keepContactDisplayNames(strapi);
    await ensureAgentRole(strapi);
    // after the admin plugin's bootstrap (which resets the super admin's permissions): every boot
    await ensureSupportAgentRole(strapi);
    await withdrawRefusedActions(strapi);
    await backfillContactDisplayNames(strapi);
    await backfillCcFromParticipants(strapi);
    await ensurePublicGuestAccess(strapi);
    await ensureRequesterAccess(strapi);
    await applyAccountSettings(strapi);
    await applyContentManagerLayouts(strapi);
    await seedDefaultTemplates(strapi);
    await ensureApiDocs(strapi);
    strapi.log.info(ingestionStatusLine(readIngestionConfig()));
    const outbox = getService(strapi, 'outbox');
    if (outbox.isDeliveryEnabled()) {
      outbox.kick();
    } else {
      strapi.log.warn('[outbox] SMTP_HOST is not set: outgoing mail stays queued (admin panel: Outbound email)');
    }
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await stopScheduledIngestion();
    await getService(strapi, 'outbox').stop();
  },
};
