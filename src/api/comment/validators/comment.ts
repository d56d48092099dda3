import { z } from '@strapi/utils';
import schema from '../content-types/comment/schema.json';
import { parseInput, textField, toOneRelation } from '../../../validation/parse';

export const SERVER_OWNED_COMMENT_FIELDS = [
  'authorType', 'authorName', 'authorUser', 'authorContact', 'source', 'messageId', 'attachments',
  'id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy',
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
