import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import schema from '../content-types/ticket/schema.json';
import { TICKET } from '../../../shared/uids';
import { isPostgres } from '../db/table';
import type { Filters } from './ticket-query';
import { DONE_STATUSES } from '../../../shared/contract';
import { getService } from '../get-service';

/**
 * Ticket statistics, computed by the database: four aggregate statements (a summary row,
 * assignments, the breakdowns by field, tickets per day), never a ticket row in JavaScript. The
 * tickets counted are those the list would show for the same filters: the filters go through
 * Strapi's own query builder and become an `id IN (…)` subquery.
 *
 * Datetimes: SQLite holds them as epoch milliseconds (integers), PostgreSQL as `timestamp without
 * time zone`; durations and day buckets are computed against bound JavaScript Dates, which each
 * driver converts the way it stores them.
 */

export const WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

type Counts<K extends string> = Record<K, number>;
type TicketStatus = (typeof schema.attributes.ticketStatus.enum)[number];
type Priority = (typeof schema.attributes.priority.enum)[number];
type Category = (typeof schema.attributes.category.enum)[number];
type Source = (typeof schema.attributes.source.enum)[number];

export interface TicketStatistics {
  total: number;
  byStatus: Counts<TicketStatus>;
  byPriority: Counts<Priority>;
  byCategory: Counts<Category>;
  bySource: Counts<Source>;
  byRequester: { guest: number; registered: number };
  overdue: number;
  unassigned: number;
  mine: number;
  /** Mean of firstResponseAt - createdAt over tickets that have a first response; null if none. */
  averageFirstResponseHours: number | null;
  /** Mean of resolvedAt - createdAt over tickets that have been resolved; null if none. */
  averageResolutionHours: number | null;
  /** Of the tickets created in the window (the days of createdPerDay), those now resolved or closed. */
  resolutionRate: { since: string; created: number; resolved: number; rate: number | null };
  /** One entry per UTC day of the window, oldest first, today last; days without tickets count 0. */
  createdPerDay: Array<{ date: string; count: number }>;
}

export interface StatisticsRequest {
  filters?: Filters;
  /** The caller, for `mine`; null counts nothing as mine. */
  userId: number | null;
  now?: Date;
}

/** The statements the statistics run, for the benchmark's direct-SQL floor. */
export interface StatisticsStatements {
  summary: Knex.QueryBuilder;
  assignments: Knex.QueryBuilder;
  breakdown: Knex.QueryBuilder;
  perDay: Knex.QueryBuilder;
}

const BREAKDOWNS = {
  byStatus: 'ticketStatus',
  byPriority: 'priority',
  byCategory: 'category',
  bySource: 'source',
} as const;

const zeroes = <K extends string>(keys: readonly K[]): Counts<K> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Counts<K>;

/** Drivers answer COUNT/SUM/AVG as numbers (SQLite) or strings (PostgreSQL numeric/bigint). */
const toNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Midnight UTC at the start of the window's first day: `days` days (WINDOW_DAYS unless told), today included. */
export const windowStart = (now: Date, days: number = WINDOW_DAYS): Date => {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
};

const ticketStatistics = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = strapi.db.connection;
  const meta = strapi.db.metadata.get(TICKET);
  const column = (attribute: string) => {
    const columnName = (meta.attributes[attribute] as { columnName?: string } | undefined)?.columnName;
    if (!columnName) throw new Error(`ticket attribute ${attribute} has no column`);
    return `t.${columnName}`;
  };
  // the assignee is a to-one relation kept in a link table (tickets_assignee_lnk: ticket_id, user_id)
  type LinkTable = { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
  const joinTable = (meta.attributes.assignee as { joinTable?: LinkTable }).joinTable;
  if (!joinTable) throw new Error('ticket.assignee has no link table');
  const link: LinkTable = joinTable;

  const schemaName = strapi.db.getSchemaName();
  const qualified = (table: string) => (schemaName ? `${schemaName}.${table}` : table);
  const from = (): Knex.QueryBuilder => knex.from({ t: qualified(meta.tableName) });

  /** Hours from one datetime column to another, as SQL. */
  const hoursBetween = (start: string, end: string): Knex.Raw =>
    isPostgres(strapi)
      ? knex.raw('EXTRACT(EPOCH FROM (?? - ??)) / 3600.0', [end, start])
      : knex.raw('(?? - ??) / 3600000.0', [end, start]);

  /** Whole days from `since` to a datetime column, as SQL. */
  const daysSince = (columnRef: string, since: Date): Knex.Raw =>
    isPostgres(strapi)
      ? knex.raw('FLOOR(EXTRACT(EPOCH FROM (?? - CAST(? AS timestamp))) / 86400)', [columnRef, since])
      : // the bound Date arrives as a floating-point number: CAST, or the division keeps a fraction
        knex.raw('CAST((?? - ?) / 86400000 AS INTEGER)', [columnRef, since]);

  /** Restricts a statement to the filtered tickets (Strapi's query builder writes the WHERE). */
  const restrict = (query: Knex.QueryBuilder, filters: Filters | undefined, ticketId = 't.id'): Knex.QueryBuilder => {
    const where = getService(strapi, 'ticketQuery').whereFor(filters);
    if (!where) return query;
    const ids = strapi.db.queryBuilder(TICKET).select('id').where(where).getKnexQuery();
    return query.whereIn(ticketId, ids);
  };

  function statements({ filters, userId, now = new Date() }: StatisticsRequest): StatisticsStatements {
    const status = column('ticketStatus');
    const createdAt = column('createdAt');
    const since = windowStart(now);
    const done = [...DONE_STATUSES];

    // one pass over the tickets for everything that is not a breakdown
    const summary = restrict(
      from().select(
        knex.raw('COUNT(*) AS total'),
        knex.raw('SUM(CASE WHEN ?? < ? AND ?? NOT IN (?, ?) THEN 1 ELSE 0 END) AS overdue', [column('dueDate'), now, status, ...done]),
        knex.raw('SUM(CASE WHEN ?? THEN 1 ELSE 0 END) AS guests', [column('isGuest')]),
        knex.raw('AVG(?) AS avg_first_response_hours', [hoursBetween(createdAt, column('firstResponseAt'))]),
        knex.raw('AVG(?) AS avg_resolution_hours', [hoursBetween(createdAt, column('resolvedAt'))]),
        knex.raw('SUM(CASE WHEN ?? >= ? THEN 1 ELSE 0 END) AS created_in_window', [createdAt, since]),
        knex.raw('SUM(CASE WHEN ?? >= ? AND ?? IN (?, ?) THEN 1 ELSE 0 END) AS resolved_in_window', [createdAt, since, status, ...done])
      ),
      filters
    );

    // Assignments come from the link table alone (a join per ticket cost as much as the rest of
    // the summary). DISTINCT: a ticket counts once even if it ever had two link rows.
    const ticketRef = `a.${link.joinColumn.name}`;
    const assignments = restrict(
      knex
        .from({ a: qualified(link.name) })
        .select(
          knex.raw('COUNT(DISTINCT ??) AS assigned', [ticketRef]),
          knex.raw('COUNT(DISTINCT CASE WHEN ?? = ? THEN ?? END) AS mine', [`a.${link.inverseJoinColumn.name}`, userId ?? 0, ticketRef])
        ),
      filters,
      ticketRef
    );

    // One GROUP BY per field (each an index-only scan when unfiltered), in one round trip;
    // `dimension` (a constant of ours) says which field a row counts.
    const members = Object.values(BREAKDOWNS).map((attribute) =>
      restrict(
        from().select(knex.raw(`'${attribute}' AS dimension`), knex.raw('?? AS value', [column(attribute)]), knex.raw('COUNT(*) AS count')),
        filters
      ).groupBy(column(attribute))
    );
    // from an empty builder, so that each member keeps its own GROUP BY; unwrapped, because
    // SQLite refuses parentheses around the members of a UNION
    const breakdown = knex.queryBuilder().unionAll(members, false);

    const perDay = countPerDay('createdAt', since, WINDOW_DAYS, filters);

    return { summary, assignments, breakdown, perDay };
  }

  /** Tickets per UTC day of a datetime attribute, `days` days from `since`: rows { day: 0.., count }. */
  function countPerDay(attribute: string, since: Date, days: number, filters?: Filters): Knex.QueryBuilder {
    const at = column(attribute);
    // grouped by the output name, so that PostgreSQL need not match two bound values
    return restrict(
      from()
        .select(knex.raw('? AS day', [daysSince(at, since)]), knex.raw('COUNT(*) AS count'))
        .where(at, '>=', since)
        .where(at, '<', new Date(since.getTime() + days * DAY_MS)),
      filters
    ).groupBy('day');
  }

  /** One entry per day from `since`, oldest first, days without rows counting 0. */
  const fillDays = (rows: Array<{ day: unknown; count: unknown }>, since: Date, days: number) => {
    const counts = new Map(rows.map((entry) => [toNumber(entry.day), toNumber(entry.count)]));
    return Array.from({ length: days }, (_, i) => ({
      date: new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10),
      count: counts.get(i) ?? 0,
    }));
  };

  return {
    statements,

    async compute(request: StatisticsRequest): Promise<TicketStatistics> {
      const now = request.now ?? new Date();
      const { summary, assignments, breakdown, perDay } = statements({ ...request, now });
      const [summaryRows, assignmentRows, breakdownRows, dayRows] = (await Promise.all([summary, assignments, breakdown, perDay])) as [
        Array<Record<string, unknown>>,
        Array<Record<string, unknown>>,
        Array<{ dimension: string; value: string | null; count: unknown }>,
        Array<{ day: unknown; count: unknown }>,
      ];
      const row = summaryRows[0] ?? {};
      const total = toNumber(row.total);
      const guests = toNumber(row.guests);

      const result: TicketStatistics = {
        total,
        byStatus: zeroes(schema.attributes.ticketStatus.enum as TicketStatus[]),
        byPriority: zeroes(schema.attributes.priority.enum as Priority[]),
        byCategory: zeroes(schema.attributes.category.enum as Category[]),
        bySource: zeroes(schema.attributes.source.enum as Source[]),
        byRequester: { guest: guests, registered: total - guests },
        overdue: toNumber(row.overdue),
        unassigned: total - toNumber(assignmentRows[0]?.assigned),
        mine: toNumber(assignmentRows[0]?.mine),
        averageFirstResponseHours: row.avg_first_response_hours == null ? null : round(Number(row.avg_first_response_hours), 2),
        averageResolutionHours: row.avg_resolution_hours == null ? null : round(Number(row.avg_resolution_hours), 2),
        resolutionRate: { since: windowStart(now).toISOString(), created: 0, resolved: 0, rate: null },
        createdPerDay: [],
      };

      const breakdownTargets: Record<string, Record<string, number>> = {
        [BREAKDOWNS.byStatus]: result.byStatus,
        [BREAKDOWNS.byPriority]: result.byPriority,
        [BREAKDOWNS.byCategory]: result.byCategory,
        [BREAKDOWNS.bySource]: result.bySource,
      };
      for (const { dimension, value, count } of breakdownRows) {
        const target = breakdownTargets[dimension];
        // a value outside the enumeration (or none) has no key; total still counts the ticket
        if (target && value !== null && value in target) target[value] = toNumber(count);
      }

      const created = toNumber(row.created_in_window);
      const resolved = toNumber(row.resolved_in_window);
      result.resolutionRate = { ...result.resolutionRate, created, resolved, rate: created === 0 ? null : round(resolved / created, 4) };

      result.createdPerDay = fillDays(dayRows, windowStart(now), WINDOW_DAYS);
      return result;
    },

    /**
     * Tickets created and tickets resolved per UTC day over the last `days` days (today last, zero
     * filled): created by createdAt, resolved by resolvedAt (which the status rules clear when a
     * ticket is reopened, so a reopened ticket no longer counts as resolved that day).
     */
    async createdVsResolved({ days, now = new Date(), filters }: { days: number; now?: Date; filters?: Filters }) {
      if (!Number.isInteger(days) || days < 1 || days > WINDOW_DAYS) throw new Error(`days must be 1..${WINDOW_DAYS}`);
      const since = windowStart(now, days);
      const [created, resolved] = (await Promise.all([
        countPerDay('createdAt', since, days, filters),
        countPerDay('resolvedAt', since, days, filters),
      ])) as Array<Array<{ day: unknown; count: unknown }>>;
      const createdDays = fillDays(created, since, days);
      const resolvedDays = fillDays(resolved, since, days);
      return createdDays.map(({ date, count }, i) => ({ date, created: count, resolved: resolvedDays[i].count }));
    },
  };
};

export type TicketStatisticsService = ReturnType<typeof ticketStatistics>;

export default ticketStatistics;
