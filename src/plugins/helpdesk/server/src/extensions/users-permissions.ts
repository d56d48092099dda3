import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { errors, validateYupSchema, yup } from '@strapi/utils';
import { newMessageId } from '../mail/ticket-mail';
import { accountMailKey } from '../outbox/account-mail';
import { secretPlaceholder } from '../outbox/secrets';
import type { Enqueued } from '../outbox/outbox';
import { passwordResetUrl, publicBaseUrl, publicRegistration } from '../setup/registration';
import { getService } from '../get-service';
import { UP_USER } from '../../../shared/uids';

type Action = (ctx: Context) => Promise<unknown>;

/** Strapi's registries, as far as the patches use them (typed loosely by Strapi). */
interface Registry<Item> {
  extend(uid: string, extendFn: (current: Item) => Item): unknown;
}

interface UserRow {
  id: number;
  email: string;
  username?: string;
  blocked?: boolean | null;
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

/** Where the token goes in an account mail's stored body (the outbox fills it in at send time). */
const TOKEN = secretPlaceholder('token');

/**
 * A users-permissions mail (address confirmation, password reset) into the outbox, as text and
 * HTML rendered with the TOKEN placeholder: the token itself is stored only encrypted. It counts
 * under the recipient's cap of automatic mail (anybody can ask for one).
 */
function queueAccountMail(strapi: Core.Strapi, mail: { to: string; subject: string; html: string; kind: string; token: string }): Promise<Enqueued> {
  return getService(strapi, 'outbox').enqueue({
    to: mail.to,
    subject: mail.subject,
    text: stripTags(mail.html),
    html: mail.html,
    messageId: newMessageId(strapi),
    headers: { 'Auto-Submitted': 'auto-generated' },
    templateKey: accountMailKey(mail.kind),
    secrets: { token: mail.token },
    capped: true,
  });
}

/** Registration and everything that mails a confirmation link are closed unless PUBLIC_REGISTRATION=true. */
function refuseUnlessRegistrationOpen(strapi: Core.Strapi): void {
  // a PolicyError, because Strapi turns any other ForbiddenError from a content-API action into a bare "Forbidden"
  if (!publicRegistration(strapi)) throw new errors.PolicyError('Registration is disabled');
}

const forgotPasswordBody = validateYupSchema(yup.object({ email: yup.string().email().required() }).noUnknown());

/**
 * The password-reset mail, as users-permissions' forgotPassword writes it (same template, same
 * token), but through the outbox and with the link on the public address. The token and the mail
 * are written in one transaction; past the recipient's cap the mail is suppressed and the token
 * left as it was (the last mail sent still works). Unknown and blocked addresses, and a suppressed
 * mail, get the same answer as a mail sent.
 */
const forgotPassword =
  (strapi: Core.Strapi): Action =>
  async (ctx) => {
    const { email } = (await forgotPasswordBody(ctx.request.body)) as { email: string };
    const user = (await strapi.db.query(UP_USER).findOne({ where: { email: email.toLowerCase() } })) as UserRow | null;
    if (user && !user.blocked) {
      const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
      const emails = (await store.get({ key: 'email' })) as { reset_password: { options: ConfirmationSettings } };
      const settings = emails.reset_password.options;
      const templates = strapi.plugin('users-permissions').service('users-permissions') as TemplateService;
      const resetPasswordToken = randomBytes(64).toString('hex');
      const safeUser = { id: user.id, email: user.email, username: user.username };
      const html = await templates.template(settings.message, {
        URL: passwordResetUrl(await publicBaseUrl(strapi)),
        SERVER_URL: String(strapi.config.get('server.absoluteUrl')),
        ADMIN_URL: String(strapi.config.get('admin.absoluteUrl')),
        USER: safeUser,
        TOKEN,
      });
      const subject = await templates.template(settings.object, { USER: safeUser });
      const users = strapi.plugin('users-permissions').service('user') as UserService;
      await strapi.db.transaction(async () => {
        const { suppressed } = await queueAccountMail(strapi, { to: user.email, subject, html, kind: 'reset_password', token: resetPasswordToken });
        if (!suppressed) await users.edit(user.id, { resetPasswordToken });
      });
    }
    ctx.body = { ok: true };
  };

/**
 * users-permissions mails its address-confirmation link straight through the email plugin; here it
 * goes through the outbox like every other mail (retried, visible in the admin panel, never lost).
 * The text is still the template staff edit in Settings → Users & Permissions → Email templates.
 * The password-reset mail goes the same way, and registration, and asking for another
 * confirmation link, are refused with a 403 unless PUBLIC_REGISTRATION=true (users-permissions
 * alone answers a disabled registration with a 400 and mails links whatever the setting).
 */
export function patchUsersPermissions(strapi: Core.Strapi): void {
  type AuthController = Record<string, unknown> & { register: Action; sendEmailConfirmation: Action };
  (strapi.get('controllers') as Registry<AuthController>).extend('plugin::users-permissions.auth', (controller) => {
    return {
      ...controller,
      async register(ctx: Context) {
        refuseUnlessRegistrationOpen(strapi);
        return controller.register(ctx);
      },
      async sendEmailConfirmation(ctx: Context) {
        refuseUnlessRegistrationOpen(strapi);
        return controller.sendEmailConfirmation(ctx);
      },
      forgotPassword: forgotPassword(strapi),
    };
  });

  (strapi.get('services') as Registry<UserService & Record<string, unknown>>).extend('plugin::users-permissions.user', (service) => {
    return {
      ...service,
      /** Like the reset mail: the token is written only with a mail that goes out (not past the cap). */
      async sendConfirmationEmail(user: { id: number; email: string; username?: string }) {
        const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
        const emails = (await store.get({ key: 'email' })) as { email_confirmation: { options: ConfirmationSettings } };
        const settings = emails.email_confirmation.options;
        const confirmationToken = randomBytes(20).toString('hex');

        const templates = strapi.plugin('users-permissions').service('users-permissions') as TemplateService;
        const serverUrl = String(strapi.config.get('server.absoluteUrl'));
        const apiPrefix = String(strapi.config.get('api.rest.prefix', '/api'));
        const safeUser = { id: user.id, email: user.email, username: user.username };
        const html = await templates.template(settings.message, {
          URL: `${serverUrl}${apiPrefix}/auth/email-confirmation`,
          SERVER_URL: serverUrl,
          ADMIN_URL: String(strapi.config.get('admin.absoluteUrl')),
          USER: safeUser,
          CODE: TOKEN,
        });
        const subject = await templates.template(settings.object, { USER: safeUser });
        await strapi.db.transaction(async () => {
          const { suppressed } = await queueAccountMail(strapi, { to: user.email, subject, html, kind: 'email_confirmation', token: confirmationToken });
          if (!suppressed) await service.edit.call(service, user.id, { confirmationToken });
        });
      },
    };
  });
}
