import { z } from '@strapi/utils';
import { parseInput } from '../../validation/parse';

/** A record id in a path (`/canned-replies/:id/use`, `/macros/:id`). */
const recordId = z.object({ id: z.string().regex(/^\d{1,12}$/, 'expected a numeric id').transform(Number) }).passthrough();

export const parseRecordId = (params: unknown): number => parseInput(recordId, params ?? {}).id;

const cannedQuery = z.object({ q: z.string().max(100).optional() }).strict();

/** GET /helpdesk-admin/tickets/:documentId/canned-replies?q= */
export const parseCannedQuery = (query: unknown): string => parseInput(cannedQuery, query ?? {}).q ?? '';
