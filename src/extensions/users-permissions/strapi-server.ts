import type { Core } from '@strapi/strapi';
import { randomBytes } from 'node:crypto';
import { outboxService } from '../../services';
import { newMessageId } from '../../mail/ticket-mail';

interface UsersPermissionsPlugin {
  services: Record<string, (context: { strapi: Core.Strapi }) => Record<string, unknown>>;
}

interface ConfirmationSettings {
  object: string;
  message: string;
}

interface UserService {
  edit(id: number, data: Record<string, unknown>): Promise<unknown>;
}

interface TemplateService {
  template(layout: string, data: Record<string, unknown>): Promise<string>;
}

const stripTags = (html: string): string => html.replace(/<\/p>\s*/gi, '\n\n').replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '').trim();

/**
 * users-permissions mails its address-confirmation link straight through the email plugin; here it
 * goes through the outbox like every other mail (retried, visible in the admin panel, never lost).
 * The text is still the template staff edit in Settings → Users & Permissions → Email templates.
 */
export default (plugin: UsersPermissionsPlugin) => {
  const userService = plugin.services.user;
  plugin.services.user = ({ strapi }) => {
    const service = userService({ strapi }) as unknown as UserService & Record<string, unknown>;
    return {
      ...service,
      async sendConfirmationEmail(user: { id: number; email: string; username?: string }) {
        const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
        const emails = (await store.get({ key: 'email' })) as { email_confirmation: { options: ConfirmationSettings } };
        const settings = emails.email_confirmation.options;
        const confirmationToken = randomBytes(20).toString('hex');
        await service.edit.call(service, user.id, { confirmationToken });

        const templates = strapi.plugin('users-permissions').service('users-permissions') as TemplateService;
        const serverUrl = String(strapi.config.get('server.absoluteUrl'));
        const apiPrefix = String(strapi.config.get('api.rest.prefix', '/api'));
        const safeUser = { id: user.id, email: user.email, username: user.username };
        const html = await templates.template(settings.message, {
          URL: `${serverUrl}${apiPrefix}/auth/email-confirmation`,
          SERVER_URL: serverUrl,
          ADMIN_URL: String(strapi.config.get('admin.absoluteUrl')),
          USER: safeUser,
          CODE: confirmationToken,
        });
        const subject = await templates.template(settings.object, { USER: safeUser });
        await outboxService(strapi).enqueue({
          to: user.email,
          subject,
          text: stripTags(html),
          html,
          messageId: newMessageId(strapi),
          headers: { 'Auto-Submitted': 'auto-generated' },
          templateKey: 'users-permissions:email_confirmation',
        });
      },
    };
  };
  return plugin;
};
