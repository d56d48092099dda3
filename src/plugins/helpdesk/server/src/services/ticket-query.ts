import type { Core } from '@strapi/strapi';
import { errors, z } from '@strapi/utils';
import { TICKET, UP_USER } from '../../../shared/uids';
import { parseInput } from '../validation/parse';
import { assertFilterValues, queryParamError } from '../validation/filter-values';
import { DONE_STATUSES } from '../../../shared/contract';

/**
 * The helpdesk's ticket query parameters, shared by the list (`GET /api/tickets`), statistics and
 * the CSV export. Each parameter becomes an ordinary Strapi filter, ANDed with the caller's own
 * `filters`, so that all three select exactly the same tickets and Strapi keeps doing the rest
 * (validation of filter keys, sanitising, pagination).
 */

/** A Strapi REST filter object (`filters[...]` as qs parses it). */
export type Filters = Record<string, unknown>;

export const TICKET_QUERY_PARAMS = ['my', 'unassigned', 'overdue', 'createdAfter', 'createdBefore', 'search', 'assignee'] as const;

/** What `search` looks in (case-insensitive substring); tags match on their JSON text. */
export const SEARCH_FIELDS = ['ticketNumber', 'subject', 'description', 'email', 'tags'] as const;

const INSTANT_HELP = 'expected an ISO 8601 date (2026-01-31) or date-time with a zone (2026-01-31T08:00:00Z)';
const isInstant = (value: string) =>
  z.iso.date().safeParse(value).success || z.iso.datetime({ offset: true }).safeParse(value).success;

// `false` is the same as leaving the parameter out, so a UI can send its checkbox as it is.
const flag = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((value) => value === 'true');
const instant = z
  .string({ error: INSTANT_HELP })
  .refine(isInstant, INSTANT_HELP)
  .transform((value) => new Date(value));

const paramsSchema = z
  .object({
    my: flag.optional(),
    unassigned: flag.optional(),
    overdue: flag.optional(),
    createdAfter: instant.optional(),
    createdBefore: instant.optional(),
    // an empty search box searches nothing
    search: z
      .string({ error: 'expected one text' })
      .trim()
      .max(200)
      .optional()
      .transform((value) => value || undefined),
    assignee: z
      .string({ error: 'expected a user id' })
      .regex(/^[1-9]\d{0,9}$/, 'expected a user id (a positive integer)')
      .transform(Number)
      .refine((id) => id <= 2147483647, 'expected a user id (a positive integer)')
      .optional(),
  })
  .superRefine((params, issues) => {
    if (params.createdAfter && params.createdBefore && params.createdBefore <= params.createdAfter) {
      issues.addIssue({ code: 'custom', path: ['createdBefore'], message: 'must be later than createdAfter' });
    }
  });

export type TicketQueryParams = z.infer<typeof paramsSchema>;

/** Who asks, and when: `my` and the overdue cut-off depend on them. */
export interface QueryCaller {
  userId: number | null;
  now?: Date;
}

/** What Strapi's content API validation and sanitising need to know about the caller. */
export interface ContentApiAuth {
  auth?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const hasFilters = (filters: unknown): boolean =>
  Array.isArray(filters) ? filters.length > 0 : isRecord(filters) && Object.keys(filters).length > 0;

/** Splits a request's query into the helpdesk parameters (validated) and everything else. */
export function parseTicketParams(query: Record<string, unknown>): { params: TicketQueryParams; rest: Record<string, unknown> } {
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if ((TICKET_QUERY_PARAMS as readonly string[]).includes(key)) own[key] = value;
    else rest[key] = value;
  }
  return { params: parseInput(paramsSchema, own), rest };
}

/** The Strapi filters the helpdesk parameters stand for, one entry per parameter given. */
export function filtersFor(params: TicketQueryParams, caller: QueryCaller): Filters[] {
  const now = caller.now ?? new Date();
  const filters: Filters[] = [];
  if (params.my) {
    if (caller.userId === null) throw queryParamError(['my'], 'needs a signed-in user');
    filters.push({ assignee: { id: { $eq: caller.userId } } });
  }
  if (params.assignee !== undefined) filters.push({ assignee: { id: { $eq: params.assignee } } });
  if (params.unassigned) filters.push({ assignee: { id: { $null: true } } });
  if (params.overdue) {
    filters.push({ ticketStatus: { $notIn: [...DONE_STATUSES] }, dueDate: { $lt: now.toISOString() } });
  }
  if (params.createdAfter) filters.push({ createdAt: { $gte: params.createdAfter.toISOString() } });
  if (params.createdBefore) filters.push({ createdAt: { $lt: params.createdBefore.toISOString() } });
  if (params.search) {
    const text = params.search;
    filters.push({ $or: SEARCH_FIELDS.map((field) => ({ [field]: { $containsi: text } })) });
  }
  return filters;
}

/** The caller's own filters ANDed with the parameters' (undefined when there are none). */
export function mergeFilters(userFilters: unknown, own: Filters[]): unknown {
  if (own.length === 0) return userFilters;
  return { $and: [...(hasFilters(userFilters) ? [userFilters] : []), ...own] };
}

const ticketQuery = ({ strapi }: { strapi: Core.Strapi }) => {
  /** A well-formed id that names nobody is a 404, as a wrong id in a path is. */
  async function assertAssigneeExists(id: number | undefined): Promise<void> {
    if (id === undefined) return;
    const user = await strapi.db.query(UP_USER).findOne({ where: { id }, select: ['id'] });
    if (!user) throw new errors.NotFoundError(`No user with id ${id} (assignee)`);
  }

  /** Validates the helpdesk parameters and the caller's filter values, and returns the merged filters. */
  async function resolveFilters(params: TicketQueryParams, userFilters: unknown, caller: QueryCaller): Promise<unknown> {
    assertFilterValues(strapi, TICKET, userFilters);
    const own = filtersFor(params, caller);
    await assertAssigneeExists(params.assignee);
    return mergeFilters(userFilters, own);
  }

  return {
    /**
     * Filters as a database `where`, through the same translation Strapi's Document Service uses
     * for REST filters (for statistics and export, which query the database directly).
     */
    whereFor(filters: Filters | undefined): Record<string, unknown> | undefined {
      if (!filters) return undefined;
      return strapi.get('query-params').transform(TICKET, { filters }).where as Record<string, unknown> | undefined;
    },

    /**
     * For `GET /api/tickets`: the query with the helpdesk parameters turned into `filters`, ready
     * for Strapi's core find (which validates, sanitises and paginates it as usual).
     */
    async listQuery(query: Record<string, unknown>, caller: QueryCaller): Promise<Record<string, unknown>> {
      const { params, rest } = parseTicketParams(query);
      const filters = await resolveFilters(params, rest.filters, caller);
      return filters === undefined ? rest : { ...rest, filters };
    },

    /**
     * For statistics and export, which take the helpdesk parameters and `filters` only: the merged
     * filters after Strapi's own content API validation and sanitising for this caller, as the core
     * find would apply them.
     */
    async reportFilters(query: Record<string, unknown>, caller: QueryCaller & ContentApiAuth): Promise<Filters | undefined> {
      for (const key of Object.keys(query)) {
        if (key !== 'filters' && !(TICKET_QUERY_PARAMS as readonly string[]).includes(key)) {
          throw queryParamError([key], 'not a parameter of this endpoint (helpdesk parameters and filters only)');
        }
      }
      const { params, rest } = parseTicketParams(query);
      const filters = await resolveFilters(params, rest.filters, caller);
      if (!hasFilters(filters)) return undefined;

      const schema = strapi.getModel(TICKET);
      const options = { auth: caller.auth };
      await strapi.contentAPI.validate.query({ filters }, schema, options);
      const sanitized = await strapi.contentAPI.sanitize.query({ filters }, schema, options);
      return hasFilters(sanitized.filters) ? (sanitized.filters as Filters) : undefined;
    },
  };
};

export type TicketQueryService = ReturnType<typeof ticketQuery>;

export default ticketQuery;
