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
import { getService } from './get-service';
import { PLUGIN_ID, action } from '../../shared/uids';
import cronTasks from './cron-tasks';
import { registerMigrations } from './migrations';
import { helpdeskConfig } from './config';
import { warnAboutMissingMiddlewares } from './setup/host-middlewares';
import { afterAdminBootstrap, runAfterAdminBootstrap } from './setup/after-admin-bootstrap';
import { bootstrapUploadPatches, patchUploadPlugin } from './extensions/upload';
import { patchUsersPermissions } from './extensions/users-permissions';

export const lifecycle = {
  async register({ strapi }: { strapi: Core.Strapi }) {
    registerMigrations(strapi);
    runAfterAdminBootstrap(strapi);
    // ticket tags: JSON underneath, edited as chips in the Content Manager (admin/src/fields)
    strapi.customFields.register({ name: 'tags', plugin: PLUGIN_ID, type: 'json' });
    // first: no email attribute reaches Strapi's backtracking validator unchecked, from any origin
    registerEmailAttributeGuard(strapi);
    registerDocumentHooks(strapi);
    // what the helpdesk changes in the upload and users-permissions plugins (see extensions/)
    const { host } = helpdeskConfig(strapi);
    patchUploadPlugin(strapi, { guardRoutes: host.uploadGuards });
    if (host.accountPolicy) patchUsersPermissions(strapi);
    await registerBackOffice(strapi);
    restrictAgentPickers(strapi);
    registerApiDocs(strapi);
    // The guest form page (the plugin's guest-form/) and its branding, outside /api.
    strapi.server.routes([
      { method: 'GET', path: '/tickets/guest', handler: action('guestForm', 'page'), config: { auth: false } },
      { method: 'GET', path: '/tickets/guest/:file(form\\.css|form\\.js)', handler: action('guestForm', 'asset'), config: { auth: false } },
      { method: 'GET', path: '/tickets/guest/branding', handler: action('ticket', 'guestBranding'), config: { auth: false } },
      // the optional proof of work (GUEST_CHALLENGE=altcha): a challenge, and the widget's own files
      { method: 'GET', path: '/tickets/guest/challenge', handler: action('ticket', 'guestChallenge'), config: { auth: false } },
      { method: 'GET', path: '/tickets/guest/altcha/:version/:file', handler: action('ticket', 'guestWidget'), config: { auth: false } },
    ]);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    bootstrapUploadPatches(strapi);
    keepContactDisplayNames(strapi);
    const { host } = helpdeskConfig(strapi);
    if (host.staffRoles) await ensureAgentRole(strapi);
    // the admin's roles exist, and the super admin's permissions are reset, in the admin's own
    // bootstrap, which Strapi runs after every plugin's: these follow it (register() arranged it)
    afterAdminBootstrap(strapi, async () => {
      if (host.staffRoles) await ensureSupportAgentRole(strapi);
      await withdrawRefusedActions(strapi);
    });
    warnAboutMissingMiddlewares(strapi);
    await backfillContactDisplayNames(strapi);
    await backfillCcFromParticipants(strapi);
    if (host.publicGuestAccess) await ensurePublicGuestAccess(strapi);
    if (host.requesterPortalAccess) await ensureRequesterAccess(strapi);
    if (host.accountPolicy) await applyAccountSettings(strapi);
    if (host.contentManagerLayouts) await applyContentManagerLayouts(strapi);
    await seedDefaultTemplates(strapi);
    await ensureApiDocs(strapi);
    await getService(strapi, 'live').start();
    if (strapi.config.get('server.cron.enabled', true)) strapi.cron.add(cronTasks);
    strapi.log.info(ingestionStatusLine(readIngestionConfig()));
    const outbox = getService(strapi, 'outbox');
    if (outbox.isDeliveryEnabled()) {
      outbox.kick();
    } else {
      strapi.log.warn('[outbox] SMTP_HOST is not set (nor OUTBOX_DELIVERY=true): outgoing mail stays queued (admin panel: Outbound email)');
    }
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await getService(strapi, 'live').stop();
    await stopScheduledIngestion();
    await getService(strapi, 'outbox').stop();
  },
};
