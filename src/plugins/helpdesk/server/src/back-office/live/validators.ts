import { z } from '@strapi/utils';
import { parseInput } from '../../validation/parse';

const presenceBody = z.object({ state: z.enum(['viewing', 'typing', 'left']) }).strict();

export type PresenceInput = z.infer<typeof presenceBody>;

/** POST /helpdesk-admin/tickets/:documentId/presence { state } */
export const parsePresence = (body: unknown): PresenceInput => parseInput(presenceBody, body);
