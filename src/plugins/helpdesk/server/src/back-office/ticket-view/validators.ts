import { z } from '@strapi/utils';
import ticketSchema from '../../content-types/ticket/schema.json';
import commentSchema from '../../content-types/comment/schema.json';
import historySchema from '../../content-types/ticket-history/schema.json';
import { MAX_EMAIL_LENGTH } from '../../validation/email-address';
import { enumField, fieldValidationError, parseInput, textField } from '../../validation/parse';
import type { TicketStatus } from '../../domain/ticket-rules';
import { tagsField } from '../../validators/tags';
import { MAX_CC } from '../../domain/cc-list';
import { validateTicketCreate, type TicketCreateInput } from '../../validators/ticket';

const status = enumField<TicketStatus>(ticketSchema.attributes.ticketStatus.enum);

/** A multipart form sends every field as text: "true"/"false" for a switch, "" for an empty select. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const replyBody = z
  .object({
    body: textField(commentSchema.attributes.body),
    isInternal: flag.optional(),
    ticketStatus: z.preprocess(emptyAsUndefined, status.optional()),
  })
  .strict();

const statusBody = z
  .object({
    ticketStatus: status,
    note: textField(historySchema.attributes.note).optional(),
  })
  .strict();

/** An agent: user id, user documentId, "me" (the admin's own agent account) or null to unassign. */
const assignBody = z
  .object({ agent: z.union([z.number().int().positive(), z.string().trim().min(1).max(64), z.null()]) })
  .strict();

const fieldsBody = z
  .object({
    priority: enumField(ticketSchema.attributes.priority.enum).optional(),
    category: enumField(ticketSchema.attributes.category.enum).optional(),
    dueDate: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time with a zone, or null' }).nullable().optional(),
    tags: tagsField.optional(),
    // the list's shape here; each address, our own and the requester are the ticket hook's Cc rule
    ccAddresses: z.array(z.string().max(MAX_EMAIL_LENGTH)).max(MAX_CC, `a ticket has at most ${MAX_CC} addresses on Cc`).optional(),
  })
  .strict()
  .refine((fields) => Object.keys(fields).length > 0, 'send at least one of priority, category, dueDate, tags, ccAddresses');

export type ReplyInput = z.infer<typeof replyBody>;
export type StatusInput = z.infer<typeof statusBody>;
export type AssignInput = z.infer<typeof assignBody>;
export type FieldsInput = z.infer<typeof fieldsBody>;
export type NewTicketInput = TicketCreateInput;

export const validateReply = (body: unknown): ReplyInput => parseInput(replyBody, body ?? {});
export const validateStatus = (body: unknown): StatusInput => parseInput(statusBody, body ?? {});
export const validateAssign = (body: unknown): AssignInput => parseInput(assignBody, body ?? {});
export const validateFields = (body: unknown): FieldsInput => parseInput(fieldsBody, body ?? {});

/** A ticket staff open: the REST API's create body ({ data }), with a requester to answer. */
export const validateNewTicket = (body: unknown): NewTicketInput => {
  const data = validateTicketCreate(body ?? {});
  if (!data.email && data.contact == null) throw fieldValidationError('email', "email: the requester's address is required (replies are mailed to it)");
  return data;
};
