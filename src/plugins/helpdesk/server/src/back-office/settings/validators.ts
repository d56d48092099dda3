import { z } from '@strapi/utils';
import { settingsInput } from '../../services/helpdesk-setting';

/** PUT /helpdesk-admin/settings: `{ data: { ...the fields to change } }` (the settings service's own rules). */
export const saveSettingsBody = z.object({ data: settingsInput }).strict();

/** POST /helpdesk-admin/settings/test-mail: `{ data: { to } }`. */
export const testMailBody = z
  .object({ data: z.object({ to: z.string().trim().toLowerCase().email().max(254) }).strict() })
  .strict();
