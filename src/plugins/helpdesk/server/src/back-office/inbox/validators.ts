import { z } from '@strapi/utils';
import ticketSchema from '../../content-types/ticket/schema.json';
import historySchema from '../../content-types/ticket-history/schema.json';
import { enumField, parseInput, textField } from '../../validation/parse';
import { queryParamError } from '../../validation/filter-values';
import { parseTicketParams, type TicketQueryParams } from '../../services/ticket-query';
import type { TicketStatus } from '../../domain/ticket-rules';
import { INBOX_SORTS, INBOX_VIEWS, type InboxSortField } from '../../../../shared/contract';

export interface InboxSort {
  field: InboxSortField;
  direction: 'asc' | 'desc';
}

export const MAX_PAGE_SIZE = 100;
export const MAX_BULK = 100;

const attributes = ticketSchema.attributes;
const positiveInt = (max: number, help: string) =>
  z
    .string({ error: help })
    .regex(/^[1-9]\d{0,8}$/, help)
    .transform(Number)
    .refine((value) => value <= max, help);

const SORT_PATTERN = new RegExp(`^(${INBOX_SORTS.join('|')})(:(asc|desc))?$`);
const SORT_HELP = `expected one of ${INBOX_SORTS.join(', ')}, optionally followed by :asc or :desc`;

const listSchema = z
  .object({
    view: z.enum(INBOX_VIEWS, { error: `expected one of ${INBOX_VIEWS.join(', ')}` }).default('open'),
    ticketStatus: enumField<TicketStatus>(attributes.ticketStatus.enum).optional(),
    priority: enumField(attributes.priority.enum).optional(),
    category: enumField(attributes.category.enum).optional(),
    page: positiveInt(1_000_000, 'expected a page number (a positive integer)').default(1),
    pageSize: positiveInt(MAX_PAGE_SIZE, `expected a page size from 1 to ${MAX_PAGE_SIZE}`).default(20),
    sort: z
      .string({ error: SORT_HELP })
      .regex(SORT_PATTERN, SORT_HELP)
      .transform((value): InboxSort => {
        const [field, direction] = value.split(':');
        return { field: field as InboxSortField, direction: direction === 'desc' ? 'desc' : 'asc' };
      })
      .optional(),
  })
  .strict();

export type InboxQuery = z.infer<typeof listSchema> & {
  /** search, assignee, createdAfter/createdBefore: the REST list's parameters, validated by ticket-query */
  params: TicketQueryParams;
};

/**
 * `GET /helpdesk-admin/tickets`: the REST list's own parameters (search, assignee, created…) go
 * through ticket-query's parser, the rest through the inbox's; my, unassigned and overdue are views here.
 */
export function parseInboxQuery(query: Record<string, unknown>): InboxQuery {
  const { params, rest } = parseTicketParams(query);
  for (const flag of ['my', 'unassigned', 'overdue'] as const) {
    if (flag in query) throw queryParamError([flag], `not a parameter of the inbox: use view=${flag}`);
  }
  return { ...parseInput(listSchema, rest), params };
}

const documentIds = z
  .array(z.string().trim().min(1).max(64), { error: 'expected a list of ticket documentIds' })
  .min(1, 'expected at least one ticket')
  .max(MAX_BULK, `at most ${MAX_BULK} tickets at a time`);

const bulkSchema = z.discriminatedUnion(
  'action',
  [
    z
      .object({
        documentIds,
        action: z.literal('assign'),
        agent: z.union([z.number().int().positive(), z.literal('me'), z.null()], { error: 'expected an agent id, "me" or null' }),
      })
      .strict(),
    z
      .object({
        documentIds,
        action: z.literal('status'),
        ticketStatus: enumField<TicketStatus>(attributes.ticketStatus.enum),
        note: textField(historySchema.attributes.note).optional(),
      })
      .strict(),
    z.object({ documentIds, action: z.literal('macro'), macro: z.number().int().positive({ error: 'expected a macro id' }) }).strict(),
  ],
  { error: 'expected assign, status or macro' }
);

export type BulkInput = z.infer<typeof bulkSchema>;

export const parseBulk = (body: unknown): BulkInput => parseInput(bulkSchema, body);
