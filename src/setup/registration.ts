import type { Core } from '@strapi/strapi';

/** Bump to apply the settings below once more on existing installs. */
const REGISTRATION_VERSION = 1;

interface AdvancedSettings {
  email_confirmation?: boolean;
  [key: string]: unknown;
}

/**
 * Self-registration confirms an account only through the link mailed to its address, so nobody
 * can register with a customer's address and read their tickets (see access/requester.ts).
 * Applied once: an admin may change it later in Settings → Users & Permissions → Advanced.
 */
export async function requireEmailConfirmation(strapi: Core.Strapi): Promise<void> {
  const ours = strapi.store({ type: 'plugin', name: 'helpdesk', key: 'registration' });
  const applied = (await ours.get({})) as { version?: number } | null;
  if ((applied?.version ?? 0) >= REGISTRATION_VERSION) return;

  const usersPermissions = strapi.store({ type: 'plugin', name: 'users-permissions' });
  const advanced = ((await usersPermissions.get({ key: 'advanced' })) ?? {}) as AdvancedSettings;
  await usersPermissions.set({ key: 'advanced', value: { ...advanced, email_confirmation: true } });
  await ours.set({ value: { version: REGISTRATION_VERSION } });
}
