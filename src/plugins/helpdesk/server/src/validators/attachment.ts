import { z } from '@strapi/utils';
import { STRAPI_OWNED_FIELDS, parseInput, toOneRelation } from '../validation/parse';

export const SERVER_OWNED_ATTACHMENT_FIELDS = [
  'filename', 'size', 'mimeType', 'uploadedByType', 'uploadedByName',
  ...STRAPI_OWNED_FIELDS,
] as const;

const createBody = z
  .object({
    data: z
      .object({
        ticket: toOneRelation.optional(),
        comment: toOneRelation.optional(),
        // the id of a file uploaded through /api/upload
        file: z.number().int().positive(),
      })
      .strict()
      .refine((data) => data.ticket != null || data.comment != null, {
        message: 'ticket or comment is required',
        path: ['ticket'],
      }),
  })
  .strict();

export const validateAttachmentCreate = (body: unknown) =>
  parseInput(createBody, body, SERVER_OWNED_ATTACHMENT_FIELDS).data;
