import { z } from '@strapi/utils';
import { NOTIFICATION_MAIL_CHOICES } from '../../../../shared/contract';
import { parseInput } from '../../validation/parse';
import type { ReadSelection } from '../../services/notifications';

const readBody = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(200) }).strict(),
  z.object({ ticket: z.string().min(1).max(64) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

/** POST /helpdesk-admin/notifications/read { ids } | { ticket } | { all: true } */
export const parseReadSelection = (body: unknown): ReadSelection => parseInput(readBody, body ?? {});

const preferenceBody = z.object({ mail: z.enum(NOTIFICATION_MAIL_CHOICES) }).strict();

/** PUT /helpdesk-admin/notifications/preferences { mail } */
export const parsePreference = (body: unknown) => parseInput(preferenceBody, body ?? {});
