import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { TICKET } from '../../../../shared/uids';
import { agentForAdmin, listAgents, type StaffAgent } from '../../access/staff-identity';
import { fieldValidationError } from '../../validation/parse';
import { canMove, isTicketStatus } from '../../domain/ticket-rules';
import { queryParamError } from '../../validation/filter-values';
import { filtersFor, type Filters } from '../../services/ticket-query';
import type { AdminUser } from '../admin-route';
import type { BulkInput, InboxQuery, InboxSort } from './validators';
import { DONE_STATUSES, INBOX_VIEWS, type Agent, type BulkPreview, type BulkResult, type InboxPage, type InboxRow, type InboxView } from '../../../../shared/contract';
import { getService } from '../../get-service';

const DAY_MS = 24 * 60 * 60 * 1000;
/** "Recently resolved": resolved or closed within this many days, newest resolution first. */
export const RECENTLY_RESOLVED_DAYS = 7;

interface TicketListRow {
  id: number;
  documentId: string;
  ticketNumber: string;
  subject: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  ticketStatus: string;
  priority: string;
  category: string;
  lastActivityAt: string | Date | null;
  dueDate: string | Date | null;
  assignee: { id: number; username: string } | null;
}

interface LinkTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
}

const LIST_FIELDS = ['id', 'documentId', 'ticketNumber', 'subject', 'firstName', 'lastName', 'email', 'ticketStatus', 'priority', 'category', 'lastActivityAt', 'dueDate'];
const NOT_DONE: Filters = { ticketStatus: { $notIn: [...DONE_STATUSES] } };

const iso = (value: string | Date | null): string | null => (value === null || value === undefined ? null : new Date(value).toISOString());
const isDone = (status: string) => (DONE_STATUSES as readonly string[]).includes(status);

/**
 * What a view selects, as Strapi filters. my, unassigned and overdue are the REST list's own
 * parameters (ticket-query's filtersFor), so "overdue" means one thing on every surface.
 * `agentId` null: the admin has no agent account, so nothing is theirs.
 */
export function viewFilters(view: InboxView, agentId: number | null, now: Date): Filters[] {
  switch (view) {
    case 'my':
      return agentId === null ? [{ id: { $null: true } }] : [...filtersFor({ my: true, search: undefined }, { userId: agentId, now }), NOT_DONE];
    case 'unassigned':
      return [...filtersFor({ unassigned: true, search: undefined }, { userId: agentId, now }), NOT_DONE];
    case 'overdue':
      return filtersFor({ overdue: true, search: undefined }, { userId: agentId, now });
    case 'open':
      return [NOT_DONE];
    case 'resolved':
      return [{ ticketStatus: { $in: [...DONE_STATUSES] }, resolvedAt: { $gte: new Date(now.getTime() - RECENTLY_RESOLVED_DAYS * DAY_MS).toISOString() } }];
    case 'all':
      // every ticket, whatever its status: a requester's history (the Status filter narrows it)
      return [];
  }
}

/** The view's own order when the caller gives none. */
const DEFAULT_SORT: Record<InboxView, InboxSort | 'resolution'> = {
  my: { field: 'lastActivityAt', direction: 'desc' },
  unassigned: { field: 'lastActivityAt', direction: 'desc' },
  overdue: { field: 'dueDate', direction: 'asc' },
  open: { field: 'lastActivityAt', direction: 'desc' },
  resolved: 'resolution',
  all: { field: 'lastActivityAt', direction: 'desc' },
};

/** A database orderBy; the id last (same direction), so that pages never overlap or skip. */
function orderByFor(sort: InboxSort | 'resolution'): Array<Record<string, unknown>> {
  if (sort === 'resolution') return [{ resolvedAt: 'desc' }, { id: 'desc' }];
  const { field, direction } = sort;
  const column: Record<string, unknown> =
    field === 'priority' ? { priorityRank: direction } : field === 'assignee' ? { assignee: { username: direction } } : { [field]: direction };
  return [column, { id: direction }];
}

function toRow(ticket: TicketListRow, now: Date): InboxRow {
  const name = [ticket.firstName, ticket.lastName].filter((part) => part && part.trim()).join(' ');
  const dueDate = iso(ticket.dueDate);
  return {
    documentId: ticket.documentId,
    ticketNumber: ticket.ticketNumber,
    subject: ticket.subject,
    requester: { name: name || null, email: ticket.email ?? null },
    ticketStatus: ticket.ticketStatus,
    priority: ticket.priority,
    category: ticket.category,
    assignee: ticket.assignee ? { id: ticket.assignee.id, name: ticket.assignee.username } : null,
    lastActivityAt: iso(ticket.lastActivityAt),
    dueDate,
    overdue: dueDate !== null && !isDone(ticket.ticketStatus) && new Date(dueDate) < now,
  };
}

/** The back office's ticket inbox: views, filters, sorting and bulk actions over the workflow service. */
export function inboxService(strapi: Core.Strapi) {
  /** The ticket ids in the assignee link table (optionally of one user), as a subquery. */
  function linkedTicketIds(userId?: number) {
    const { name, joinColumn, inverseJoinColumn } = (strapi.db.metadata.get(TICKET).attributes.assignee as unknown as { joinTable: LinkTable }).joinTable;
    const schema = strapi.db.getSchemaName();
    const table = schema ? strapi.db.connection(name).withSchema(schema) : strapi.db.connection(name);
    return (userId === undefined ? table : table.where(inverseJoinColumn.name, userId)).select(joinColumn.name);
  }

  /**
   * filtersFor's assignee filters (unassigned, my, assignee=<id>) as a semi- or anti-join on the link
   * table: the same tickets, but Strapi writes a relation filter as left joins with SELECT DISTINCT
   * and COUNT(DISTINCT), which visits the link table for every ticket on its way (0.3 s for a deep
   * page of Unassigned at 100,000 tickets on SQLite, see the README's bench:inbox).
   */
  function assigneeWhere(filter: Filters): Record<string, unknown> | null {
    const keys = Object.keys(filter);
    const id = (filter.assignee as { id?: Record<string, unknown> } | undefined)?.id;
    if (keys.length !== 1 || !id || Object.keys(id).length !== 1) return null;
    if (id.$null === true) return { id: { $notIn: linkedTicketIds() } };
    if (typeof id.$eq === 'number') return { id: { $in: linkedTicketIds(id.$eq) } };
    return null;
  }

  const whereFor = (filters: Filters[]) => ({
    $and: filters.map((filter) => assigneeWhere(filter) ?? getService(strapi, 'ticketQuery').whereFor({ $and: [filter] }) ?? {}),
  });

  async function filtersOf(query: InboxQuery, agentId: number | null, now: Date): Promise<Filters[]> {
    const filters = viewFilters(query.view, agentId, now);
    if (query.params.assignee !== undefined) {
      const agents = await listAgents(strapi);
      if (!agents.some((agent) => agent.id === query.params.assignee)) {
        throw queryParamError(['assignee'], `no agent with id ${query.params.assignee}`);
      }
    }
    // search, assignee, createdAfter/createdBefore: the REST list's translation
    filters.push(...filtersFor({ ...query.params, my: false, unassigned: false, overdue: false }, { userId: agentId, now }));
    for (const field of ['ticketStatus', 'priority', 'category'] as const) {
      if (query[field] !== undefined) filters.push({ [field]: { $eq: query[field] } });
    }
    return filters;
  }

  return {
    async list(query: InboxQuery, admin: AdminUser, now = new Date()): Promise<InboxPage> {
      const agent = await agentForAdmin(strapi, admin);
      const where = whereFor(await filtersOf(query, agent?.id ?? null, now));
      const { page, pageSize } = query;
      const [rows, total] = await Promise.all([
        strapi.db.query(TICKET).findMany({
          where,
          select: LIST_FIELDS,
          populate: { assignee: { select: ['id', 'username'] } },
          orderBy: orderByFor(query.sort ?? DEFAULT_SORT[query.view]),
          offset: (page - 1) * pageSize,
          limit: pageSize,
        }) as Promise<TicketListRow[]>,
        strapi.db.query(TICKET).count({ where }) as Promise<number>,
      ]);
      return {
        data: rows.map((row) => toRow(row, now)),
        meta: {
          pagination: { page, pageSize, total: Number(total), pageCount: Math.ceil(Number(total) / pageSize) },
          view: query.view,
          agent: agent ? { id: agent.id } : null,
        },
      };
    },

    /** How many tickets each view holds (one count per view). */
    async counts(admin: AdminUser, now = new Date()): Promise<Record<InboxView, number>> {
      const agent = await agentForAdmin(strapi, admin);
      const counts = await Promise.all(
        INBOX_VIEWS.map(async (view) => Number(await strapi.db.query(TICKET).count({ where: whereFor(viewFilters(view, agent?.id ?? null, now)) })))
      );
      return Object.fromEntries(INBOX_VIEWS.map((view, i) => [view, counts[i]])) as Record<InboxView, number>;
    },

    /** Everybody a ticket can be assigned to; isMe marks the admin at the keyboard. */
    async agents(admin: AdminUser): Promise<Agent[]> {
      const [agents, me] = await Promise.all([listAgents(strapi), agentForAdmin(strapi, admin)]);
      return agents.map((agent: StaffAgent) => ({
        id: agent.id,
        documentId: agent.documentId,
        name: agent.username,
        email: agent.email,
        isMe: me?.id === agent.id,
      }));
    },

    /**
     * What a bulk action would do, before staff confirm it: how many of the tickets would mail their
     * requester (a move to a status the settings mail, allowed from where the ticket is; a macro's
     * public reply). Nothing is changed.
     */
    async bulkPreview(input: BulkInput): Promise<BulkPreview> {
      const tickets = (await strapi.db.query(TICKET).findMany({
        where: { documentId: { $in: [...new Set(input.documentIds)] } },
        select: ['ticketStatus', 'email'],
      })) as Array<{ ticketStatus: string; email: string | null }>;
      const withRequester = tickets.filter((ticket) => Boolean(ticket.email));
      let customerMails = 0;
      if (input.action === 'status') {
        const { notifyRequesterOnStatus } = await getService(strapi, 'settings').current();
        const mailed = (notifyRequesterOnStatus as readonly string[]).includes(input.ticketStatus);
        customerMails = mailed
          ? withRequester.filter((ticket) => ticket.ticketStatus !== input.ticketStatus && isTicketStatus(ticket.ticketStatus) && canMove(ticket.ticketStatus, input.ticketStatus)).length
          : 0;
      } else if (input.action === 'macro') {
        const macro = await getService(strapi, 'macros').findMacro(input.macro);
        if (!macro) throw fieldValidationError('macro', `no macro with id ${input.macro}`);
        customerMails = macro.mailsCustomer ? withRequester.length : 0;
      }
      return { tickets: tickets.length, customerMails };
    },

    /**
     * One workflow call per ticket, each in its own transaction through the document hooks
     * (transition rules, history, mail): a refused ticket is reported and the others go on.
     */
    async bulk(input: BulkInput, admin: AdminUser): Promise<BulkResult[]> {
      const workflow = getService(strapi, 'ticketWorkflow');
      let agentId: number | null = null;
      if (input.action === 'assign' && input.agent !== null) {
        if (input.agent === 'me') {
          const me = await agentForAdmin(strapi, admin);
          if (!me) throw fieldValidationError('agent', 'you have no agent account to assign tickets to (same email as your admin account)');
          agentId = me.id;
        } else {
          const agents = await listAgents(strapi);
          if (!agents.some((agent) => agent.id === input.agent)) throw fieldValidationError('agent', `no agent with id ${input.agent}`);
          agentId = input.agent;
        }
      }

      if (input.action === 'macro' && !(await getService(strapi, 'macros').findMacro(input.macro))) {
        throw fieldValidationError('macro', `no macro with id ${input.macro}`);
      }

      const documentIds = [...new Set(input.documentIds)];
      const found = (await strapi.db.query(TICKET).findMany({
        where: { documentId: { $in: documentIds } },
        select: ['documentId', 'ticketNumber'],
      })) as Array<{ documentId: string; ticketNumber: string }>;
      const numbers = new Map(found.map((ticket) => [ticket.documentId, ticket.ticketNumber]));

      const results: BulkResult[] = [];
      for (const documentId of documentIds) {
        const ticketNumber = numbers.get(documentId) ?? null;
        if (ticketNumber === null) {
          results.push({ documentId, ticketNumber, ok: false, error: 'Ticket not found' });
          continue;
        }
        try {
          if (input.action === 'assign') await workflow.assign(documentId, agentId);
          else if (input.action === 'macro') await getService(strapi, 'macros').applyMacro(admin, input.macro, documentId);
          else await workflow.changeStatus(documentId, input.ticketStatus, input.note);
          results.push({ documentId, ticketNumber, ok: true });
        } catch (error) {
          if (!(error instanceof errors.ApplicationError)) strapi.log.error(`bulk ${input.action} on ${ticketNumber} failed: ${String(error)}`);
          const message = error instanceof errors.ApplicationError ? error.message : 'the change failed (see the server log)';
          results.push({ documentId, ticketNumber, ok: false, error: message });
        }
      }
      return results;
    },
  };
}
