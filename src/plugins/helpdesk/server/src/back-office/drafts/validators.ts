import { z } from '@strapi/utils';
import draftSchema from '../../content-types/reply-draft/schema.json';
import { parseInput } from '../../validation/parse';

const draftBody = z
  .object({
    body: z.string().max(draftSchema.attributes.body.maxLength),
    isInternal: z.boolean(),
  })
  .strict();

export type DraftInput = z.infer<typeof draftBody>;

/** PUT /helpdesk-admin/tickets/:documentId/draft { body, isInternal } */
export const parseDraft = (body: unknown): DraftInput => parseInput(draftBody, body ?? {});
