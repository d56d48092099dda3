import { z } from '@strapi/utils';
import schema from '../content-types/ticket/schema.json';
import { tagsField } from './tags';
import { SERVER_OWNED_TICKET_ATTRIBUTES } from '../domain/server-owned';
import { STRAPI_OWNED_FIELDS, enumField, optionalTextField, parseInput, textField, toOneRelation } from '../validation/parse';

const attributes = schema.attributes;

/** Fields the server fills in; API clients cannot write them. */
export const SERVER_OWNED_TICKET_FIELDS = [
  ...SERVER_OWNED_TICKET_ATTRIBUTES,
  'comments',
  'attachments',
  ...STRAPI_OWNED_FIELDS,
] as const;

const hours = z.number().min(0).max(100000).nullable().optional();
const dateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date(), z.null()]).optional();

const writableFields = {
  subject: textField(attributes.subject),
  description: optionalTextField(attributes.description),
  ticketStatus: enumField(attributes.ticketStatus.enum).optional(),
  priority: enumField(attributes.priority.enum).optional(),
  category: enumField(attributes.category.enum).optional(),
  firstName: optionalTextField(attributes.firstName),
  lastName: optionalTextField(attributes.lastName),
  email: z.email().max(attributes.email.maxLength).nullable().optional(),
  phone: optionalTextField(attributes.phone),
  company: optionalTextField(attributes.company),
  branch: optionalTextField(attributes.branch),
  contact: toOneRelation.optional(),
  assignee: toOneRelation.optional(),
  dueDate: dateTime,
  estimatedHours: hours,
  actualHours: hours,
  tags: tagsField.optional(),
};

const createBody = z.object({ data: z.object(writableFields).strict() }).strict();
const updateBody = z.object({ data: z.object(writableFields).partial().strict() }).strict();

export type TicketCreateInput = z.infer<typeof createBody>['data'];
export type TicketUpdateInput = z.infer<typeof updateBody>['data'];

export const validateTicketCreate = (body: unknown): TicketCreateInput =>
  parseInput(createBody, body, SERVER_OWNED_TICKET_FIELDS).data;

export const validateTicketUpdate = (body: unknown): TicketUpdateInput =>
  parseInput(updateBody, body, SERVER_OWNED_TICKET_FIELDS).data;
