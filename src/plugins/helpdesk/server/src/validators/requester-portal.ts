import { z } from '@strapi/utils';
import commentSchema from '../content-types/comment/schema.json';
import { parseInput, textField } from '../validation/parse';

const listQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();

const commentBody = z.object({ data: z.object({ body: textField(commentSchema.attributes.body) }).strict() }).strict();

export type PortalListQuery = z.infer<typeof listQuery>;

/** Requesters get fixed shapes: no populate, filters or fields to probe other records with. */
export const validatePortalList = (query: unknown): PortalListQuery => parseInput(listQuery, query);
export const validatePortalComment = (body: unknown): string => parseInput(commentBody, body).data.body;
