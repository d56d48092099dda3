import type { Core } from '@strapi/strapi';
import { getService } from '../get-service';

interface AdvancedSettings {
  allow_register?: boolean;
  email_confirmation?: boolean;
  email_reset_password?: string | null;
  [key: string]: unknown;
}

interface EmailOptions {
  from?: { name?: string; email?: string };
  response_email?: string;
  [key: string]: unknown;
}

type EmailSettings = Record<string, { options?: EmailOptions; [key: string]: unknown }>;

/** Whether PUBLIC_REGISTRATION=true opened self-registration (config/helpdesk.ts). */
export const publicRegistration = (strapi: Core.Strapi): boolean =>
  strapi.config.get<boolean>('plugin::helpdesk.accounts.publicRegistration') === true;

/**
 * Where people reach the helpdesk: publicBaseUrl from Helpdesk settings, else PUBLIC_URL, else the
 * server's own address. Read each time, so a change in the admin panel applies to the next mail.
 */
export async function publicBaseUrl(strapi: Core.Strapi): Promise<string> {
  const { publicBaseUrl: configured } = await getService(strapi, 'settings').current();
  const base = configured || String(strapi.config.get('server.url', '') || '') || String(strapi.config.get('server.absoluteUrl'));
  return base.replace(/\/+$/, '');
}

/** The page that asks for a new password; the mail appends `?code=…` (the frontend posts it to /api/auth/reset-password). */
export const passwordResetUrl = (base: string): string => `${base}/reset-password`;

/**
 * users-permissions keeps its settings in the database, editable in the admin panel; the ones that
 * decide who may get an account and where its mail points come from the environment, so they are
 * written on every boot (a change in the panel lasts until the next restart):
 * - allow_register: PUBLIC_REGISTRATION=true, off by default;
 * - email_confirmation: always on, so nobody can register with a customer's address and read their
 *   tickets before that address confirmed it (see access/requester.ts);
 * - email_reset_password and the sender of its mails: the public address and SMTP_FROM/SMTP_FROM_NAME.
 */
export async function applyAccountSettings(strapi: Core.Strapi): Promise<void> {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = ((await store.get({ key: 'advanced' })) ?? {}) as AdvancedSettings;
  await store.set({
    key: 'advanced',
    value: {
      ...advanced,
      allow_register: publicRegistration(strapi),
      email_confirmation: true,
      email_reset_password: passwordResetUrl(await publicBaseUrl(strapi)),
    },
  });

  const from = { name: String(strapi.config.get('plugin::helpdesk.mail.fromName')), email: String(strapi.config.get('plugin::helpdesk.mail.from')) };
  const emails = ((await store.get({ key: 'email' })) ?? {}) as EmailSettings;
  const withSender = (key: string) => ({
    ...emails[key],
    options: { ...emails[key]?.options, from, response_email: from.email },
  });
  await store.set({ key: 'email', value: { ...emails, reset_password: withSender('reset_password'), email_confirmation: withSender('email_confirmation') } });
}
