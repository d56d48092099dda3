import { z } from '@strapi/utils';
import schema from '../content-types/comment/schema.json';
import { STRAPI_OWNED_FIELDS, parseInput, textField, toOneRelation } from '../validation/parse';

export const SERVER_OWNED_COMMENT_FIELDS = [
  'authorType', 'authorName', 'authorUser', 'authorContact', 'source', 'messageId', 'attachments',
  ...STRAPI_OWNED_FIELDS,
] as const;

const createBody = z
  .object({
    data: z
      .object({
        ticket: toOneRelation.refine((value) => value !== null, 'ticket is required'),
        body: textField(schema.attributes.body),
        isInternal: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

export const validateCommentCreate = (body: unknown) =>
  parseInput(createBody, body, SERVER_OWNED_COMMENT_FIELDS).data;
