import { z } from '@strapi/utils';
import ticketSchema from '../content-types/ticket/schema.json';
import commentSchema from '../content-types/comment/schema.json';
import historySchema from '../content-types/ticket-history/schema.json';
import { enumField, fieldValidationError, parseInput, textField } from '../validation/parse';
import type { TicketStatus } from '../domain/ticket-rules';

const statusBody = z
  .object({
    data: z
      .object({
        ticketStatus: enumField<TicketStatus>(ticketSchema.attributes.ticketStatus.enum),
        note: textField(historySchema.attributes.note).optional(),
      })
      .strict(),
  })
  .strict();

/** An agent: a user id, a user documentId, "me", or null to unassign. */
const agentRef = z.union([z.number().int().positive(), z.string().trim().min(1).max(64), z.null()]);
const assignBody = z.object({ data: z.object({ agent: agentRef }).strict() }).strict();

const commentBody = z
  .object({
    data: z
      .object({
        body: textField(commentSchema.attributes.body),
        isInternal: z.boolean().optional(),
        ticketStatus: enumField<TicketStatus>(ticketSchema.attributes.ticketStatus.enum).optional(),
        note: textField(historySchema.attributes.note).optional(),
      })
      .strict(),
  })
  .strict();

export type StatusChangeInput = z.infer<typeof statusBody>['data'];
export type AssignInput = z.infer<typeof assignBody>['data'];
export type CommentInput = z.infer<typeof commentBody>['data'];

export const validateStatusChange = (body: unknown): StatusChangeInput => parseInput(statusBody, body).data;
export const validateAssign = (body: unknown): AssignInput => parseInput(assignBody, body).data;
export type ReplyRequest = z.infer<typeof commentBody>['data'];

/**
 * The comment route's body: JSON `{ data }`, or multipart with `data` as a JSON string field (the
 * REST API's convention for uploads) beside the `files`.
 */
export function validateComment(body: unknown): ReplyRequest {
  const fields = body as { data?: unknown } | null;
  if (fields && typeof fields === 'object' && typeof fields.data === 'string') {
    let data: unknown;
    try {
      data = JSON.parse(fields.data);
    } catch {
      throw fieldValidationError('data', 'data must be a JSON object (multipart field "data")');
    }
    return parseInput(commentBody, { ...fields, data }).data;
  }
  return parseInput(commentBody, body).data;
}
