import path from 'node:path';
import { withPrePluginTableNames } from './support/pre-plugin-tables';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { createAgent } from '../src/plugins/helpdesk/server/src/access/roles';
import type { InboxPage as Page, InboxRow as Row } from '../src/plugins/helpdesk/shared/contract';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const HISTORY = 'plugin::helpdesk.ticket-history';
const DAY = 24 * 60 * 60 * 1000;
const ME = 'inbox.me@example.test';
const SEVERITY = ['critical', 'urgent', 'high', 'medium', 'low'];

interface ErrorBody {
  error: { status: number; name: string; message: string; details: { errors?: Array<{ path: string[] }> } };
}
interface Seed {
  key: string;
  ticketStatus: string;
  priority: string;
  category: string;
  mine?: boolean;
  other?: boolean;
  dueInDays?: number;
  resolvedDaysAgo?: number;
}

/**
 * The back office inbox's admin API (`/helpdesk-admin/tickets`, `/tickets/bulk`, `/agents`): views,
 * sorting by severity, filters, bad parameters, and bulk actions through the workflow service.
 */
describe('back office: inbox API', () => {
  let helpdesk: Helpdesk;
  let admin: { id: number; token: string };
  let me: { id: number };
  let other: { id: number };
  const tickets: Record<string, { documentId: string; ticketNumber: string; id: number }> = {};

  const SEEDS: Seed[] = [
    { key: 'mineOpen', ticketStatus: 'open', priority: 'low', category: 'billing', mine: true },
    { key: 'mineDone', ticketStatus: 'resolved', priority: 'high', category: 'bug', mine: true },
    { key: 'otherUrgent', ticketStatus: 'in_progress', priority: 'urgent', category: 'technical', other: true },
    { key: 'freeCritical', ticketStatus: 'new', priority: 'critical', category: 'support', dueInDays: -1 },
    { key: 'freeMedium', ticketStatus: 'pending', priority: 'medium', category: 'general' },
    { key: 'freeHigh', ticketStatus: 'open', priority: 'high', category: 'billing', dueInDays: -2 },
    { key: 'oldClosed', ticketStatus: 'closed', priority: 'low', category: 'general', resolvedDaysAgo: 10 },
    { key: 'closedLate', ticketStatus: 'closed', priority: 'medium', category: 'general', dueInDays: -3 },
  ];
  const NOT_DONE = ['mineOpen', 'otherUrgent', 'freeCritical', 'freeMedium', 'freeHigh'];

  const get = (url: string) => helpdesk.request<Page>('GET', url, { token: admin.token });
  const keysOf = (rows: Row[]) => rows.map((row) => Object.entries(tickets).find(([, t]) => t.documentId === row.documentId)?.[0]);
  const history = async (key: string, action: string) =>
    (await helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { id: tickets[key].id }, action } })) as Array<{ newValue: string; note: string | null }>;

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' } });
    admin = await helpdesk.admin(ME);
    me = await createAgent(helpdesk.strapi, { email: ME, password: 'Correct-Horse-9', name: 'Ada Admin' });
    other = await createAgent(helpdesk.strapi, { email: 'bob.agent@example.test', password: 'Correct-Horse-9', name: 'Bob Agent' });
    for (const [index, seed] of SEEDS.entries()) {
      const created = await helpdesk.strapi.documents(TICKET).create({
        data: {
          subject: `Inbox ${seed.key}`,
          email: `${seed.key.toLowerCase()}@example.test`,
          firstName: 'Rita',
          lastName: `Requester${index}`,
          ticketStatus: seed.ticketStatus,
          priority: seed.priority,
          category: seed.category,
          assignee: seed.mine ? me.id : seed.other ? other.id : null,
          ...(seed.dueInDays !== undefined ? { dueDate: new Date(Date.now() + seed.dueInDays * DAY).toISOString() } : {}),
        } as never,
      });
      const row = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: created.documentId }, select: ['id'] })) as { id: number };
      tickets[seed.key] = { documentId: created.documentId, ticketNumber: String(created.ticketNumber), id: row.id };
      if (seed.resolvedDaysAgo !== undefined) {
        await helpdesk.strapi.db.query(TICKET).update({ where: { id: row.id }, data: { resolvedAt: new Date(Date.now() - seed.resolvedDaysAgo * DAY) } });
      }
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct activity times
    }
  });
  afterAll(() => helpdesk?.stop());

  describe('server-owned inbox fields', () => {
    it('ranks priorities by severity on create and update, whatever the client sends', async () => {
      const rows = (await helpdesk.strapi.db.query(TICKET).findMany({ select: ['priority', 'priorityRank'] })) as Array<{ priority: string; priorityRank: number }>;
      for (const row of rows) expect([row.priority, row.priorityRank]).toEqual([row.priority, 5 - SEVERITY.indexOf(row.priority)]);

      const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Rank me', priority: 'low', priorityRank: 5 } as never });
      const stored = async () =>
        (await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticket.documentId }, select: ['priorityRank', 'lastActivityAt'] })) as {
          priorityRank: number;
          lastActivityAt: string;
        };
      expect((await stored()).priorityRank).toBe(1);
      await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { priority: 'urgent' } as never });
      expect((await stored()).priorityRank).toBe(4);
      await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { priorityRank: 1, subject: 'Still urgent' } as never });
      expect((await stored()).priorityRank).toBe(4);

      // REST clients are told the field is the server's
      const agent = await helpdesk.agent();
      const put = await helpdesk.request<ErrorBody>('PUT', `/api/tickets/${ticket.documentId}`, { token: agent.jwt, body: { data: { priorityRank: 1 } } });
      expect(put.status).toBe(400);
      expect(put.body.error.message).toMatch(/priorityRank/);
      expect((await stored()).priorityRank).toBe(4);
      await helpdesk.strapi.documents(TICKET).delete({ documentId: ticket.documentId });
    });

    it('moves lastActivityAt on a ticket update and on a new comment', async () => {
      const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Activity' } as never });
      const activity = async () =>
        new Date(
          ((await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticket.documentId }, select: ['lastActivityAt'] })) as { lastActivityAt: string })
            .lastActivityAt
        ).getTime();
      const created = await activity();
      expect(created).toBeGreaterThan(Date.now() - 60_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { category: 'bug' } as never });
      const updated = await activity();
      expect(updated).toBeGreaterThan(created);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await helpdesk.strapi.documents(COMMENT).create({ data: { ticket: ticket.documentId, body: 'A note', isInternal: true, authorType: 'staff', source: 'api' } as never });
      expect(await activity()).toBeGreaterThan(updated);
      await helpdesk.strapi.documents(TICKET).delete({ documentId: ticket.documentId });
    });

  });

  describe('GET /helpdesk-admin/tickets', () => {
    it('needs an admin session', async () => {
      expect((await helpdesk.request('GET', '/helpdesk-admin/tickets')).status).toBe(401);
    });

    it('answers the inbox shape', async () => {
      const page = await get(`/helpdesk-admin/tickets?view=open&search=${tickets.mineOpen.ticketNumber}`);
      expect(page.status).toBe(200);
      expect(page.body.data).toEqual([
        {
          documentId: tickets.mineOpen.documentId,
          ticketNumber: tickets.mineOpen.ticketNumber,
          subject: 'Inbox mineOpen',
          requester: { name: 'Rita Requester0', email: 'mineopen@example.test' },
          ticketStatus: 'open',
          priority: 'low',
          category: 'billing',
          assignee: { id: me.id, name: 'Ada Admin' },
          lastActivityAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          dueDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          overdue: false,
        },
      ]);
      expect(page.body.meta.pagination).toEqual({ page: 1, pageSize: 20, total: 1, pageCount: 1 });
    });

    it.each([
      ['my', ['mineOpen']],
      ['unassigned', ['freeCritical', 'freeMedium', 'freeHigh']],
      ['overdue', ['freeCritical', 'freeHigh']],
      ['open', NOT_DONE],
      ['resolved', ['mineDone', 'closedLate']],
    ])('view=%s holds the right tickets, and the counts agree', async (view, keys) => {
      const page = await get(`/helpdesk-admin/tickets?view=${view}&pageSize=100`);
      expect(page.status).toBe(200);
      expect(new Set(keysOf(page.body.data))).toEqual(new Set(keys));
      expect(page.body.meta.pagination.total).toBe(keys.length);
      const counts = await helpdesk.request<{ data: Record<string, number> }>('GET', '/helpdesk-admin/tickets/counts', { token: admin.token });
      expect(counts.body.data[view]).toBe(keys.length);
    });

    it('marks overdue rows, and lists recently resolved newest resolution first', async () => {
      const overdue = await get('/helpdesk-admin/tickets?view=overdue');
      expect(overdue.body.data.every((row) => row.overdue)).toBe(true);
      // the default order of the overdue view: most overdue first
      expect(keysOf(overdue.body.data)).toEqual(['freeHigh', 'freeCritical']);
      const closedLate = (await get('/helpdesk-admin/tickets?view=resolved')).body.data.find((row) => row.documentId === tickets.closedLate.documentId);
      expect(closedLate?.overdue).toBe(false); // a done ticket is never overdue
      expect(keysOf((await get('/helpdesk-admin/tickets?view=resolved')).body.data)).toEqual(['closedLate', 'mineDone']);
    });

    it('sorts by priority in severity order, both ways', async () => {
      const desc = await get('/helpdesk-admin/tickets?view=open&sort=priority:desc');
      expect(desc.body.data.map((row) => row.priority)).toEqual(['critical', 'urgent', 'high', 'medium', 'low']);
      const asc = await get('/helpdesk-admin/tickets?view=open&sort=priority:asc');
      expect(asc.body.data.map((row) => row.priority)).toEqual(['low', 'medium', 'high', 'urgent', 'critical']);
    });

    it('sorts by the other columns', async () => {
      const numbers = (await get('/helpdesk-admin/tickets?view=open&sort=ticketNumber:asc')).body.data.map((row) => row.ticketNumber);
      expect(numbers).toEqual([...numbers].sort());
      expect(numbers).toHaveLength(5);
      const subjects = (await get('/helpdesk-admin/tickets?view=open&sort=subject:desc')).body.data.map((row) => row.subject);
      expect(subjects).toEqual([...subjects].sort().reverse());
      const assignees = (await get('/helpdesk-admin/tickets?view=my&sort=assignee:asc')).body.data;
      expect(assignees.map((row) => row.assignee?.name)).toEqual(['Ada Admin']);
      const byAssignee = (await get('/helpdesk-admin/tickets?view=open&sort=assignee:desc')).body.data.filter((row) => row.assignee);
      expect(byAssignee.map((row) => row.assignee?.name)).toEqual(['Bob Agent', 'Ada Admin']);
      const activity = (await get('/helpdesk-admin/tickets?view=open&sort=lastActivityAt:asc')).body.data.map((row) => row.lastActivityAt as string);
      expect(activity).toEqual([...activity].sort());
      const due = (await get('/helpdesk-admin/tickets?view=overdue&sort=dueDate:desc')).body.data.map((row) => row.dueDate as string);
      expect(due).toEqual([...due].sort().reverse());
      const created = (await get('/helpdesk-admin/tickets?view=open&sort=createdAt:asc')).body.data;
      expect(keysOf(created)).toEqual(NOT_DONE);
      const statuses = (await get('/helpdesk-admin/tickets?view=open&sort=ticketStatus:asc')).body.data.map((row) => row.ticketStatus);
      expect(statuses).toEqual([...statuses].sort());
    });

    it('filters by search, status, priority, category and assignee', async () => {
      expect(keysOf((await get('/helpdesk-admin/tickets?view=open&search=FREEHIGH')).body.data)).toEqual(['freeHigh']);
      expect(keysOf((await get('/helpdesk-admin/tickets?view=open&ticketStatus=pending')).body.data)).toEqual(['freeMedium']);
      expect(keysOf((await get('/helpdesk-admin/tickets?view=open&priority=urgent')).body.data)).toEqual(['otherUrgent']);
      expect(new Set(keysOf((await get('/helpdesk-admin/tickets?view=open&category=billing')).body.data))).toEqual(new Set(['mineOpen', 'freeHigh']));
      expect(keysOf((await get(`/helpdesk-admin/tickets?view=open&assignee=${other.id}`)).body.data)).toEqual(['otherUrgent']);
      expect(keysOf((await get('/helpdesk-admin/tickets?view=unassigned&category=billing&priority=high')).body.data)).toEqual(['freeHigh']);
    });

    it('paginates without overlap', async () => {
      const first = await get('/helpdesk-admin/tickets?view=open&sort=priority:desc&pageSize=2&page=1');
      const second = await get('/helpdesk-admin/tickets?view=open&sort=priority:desc&pageSize=2&page=2');
      const third = await get('/helpdesk-admin/tickets?view=open&sort=priority:desc&pageSize=2&page=3');
      expect(first.body.meta.pagination).toEqual({ page: 1, pageSize: 2, total: 5, pageCount: 3 });
      expect([...first.body.data, ...second.body.data, ...third.body.data].map((row) => row.priority)).toEqual(SEVERITY);
      expect((await get('/helpdesk-admin/tickets?view=open&page=9')).body.data).toEqual([]);
    });

    it.each([
      ['view=later', 'view'],
      ['sort=priority:up', 'sort'],
      ['sort=description', 'sort'],
      ['pageSize=101', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['priority=whenever', 'priority'],
      ['ticketStatus=gone', 'ticketStatus'],
      ['category=x', 'category'],
      ['assignee=abc', 'assignee'],
      ['assignee=99999', 'assignee'],
      ['search=' + 'x'.repeat(201), 'search'],
      ['my=true', 'my'],
      ['colour=red', 'colour'],
      ['view=open&view=my', 'view'],
    ])('?%s is a 400 naming %s', async (query, parameter) => {
      const answer = await helpdesk.request<ErrorBody>('GET', `/helpdesk-admin/tickets?${query}`, { token: admin.token });
      expect(answer.status).toBe(400);
      expect(answer.body.error.name).toBe('ValidationError');
      expect(answer.body.error.message.startsWith(`${parameter}:`)).toBe(true);
    });
  });

  describe('GET /helpdesk-admin/agents', () => {
    it('lists every agent, marking the admin at the keyboard', async () => {
      const answer = await helpdesk.request<{ data: Array<{ id: number; documentId: string; name: string; email: string; isMe: boolean }> }>('GET', '/helpdesk-admin/agents', {
        token: admin.token,
      });
      expect(answer.status).toBe(200);
      const mine = answer.body.data.filter((agent) => agent.email === ME || agent.email === 'bob.agent@example.test');
      expect(mine).toEqual([
        { id: me.id, documentId: expect.any(String), name: 'Ada Admin', email: ME, isMe: true },
        { id: other.id, documentId: expect.any(String), name: 'Bob Agent', email: 'bob.agent@example.test', isMe: false },
      ]);
      expect(answer.body.data.filter((agent) => agent.isMe)).toHaveLength(1);
    });
  });

  describe('POST /helpdesk-admin/tickets/bulk', () => {
    const bulk = (body: unknown) =>
      helpdesk.request<{ data: Array<{ documentId: string; ticketNumber: string | null; ok: boolean; error?: string }> } & ErrorBody>('POST', '/helpdesk-admin/tickets/bulk', {
        token: admin.token,
        body,
      });

    it('assigns tickets to me, one history row each', async () => {
      const keys = ['freeCritical', 'freeMedium'];
      const answer = await bulk({ documentIds: keys.map((key) => tickets[key].documentId), action: 'assign', agent: 'me' });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual(keys.map((key) => ({ documentId: tickets[key].documentId, ticketNumber: tickets[key].ticketNumber, ok: true })));
      for (const key of keys) expect((await history(key, 'assigned')).map((row) => row.newValue)).toEqual(['Ada Admin']);
      expect(new Set(keysOf((await get('/helpdesk-admin/tickets?view=my')).body.data))).toEqual(new Set(['mineOpen', ...keys]));

      // and back to nobody, then to another agent by id
      expect((await bulk({ documentIds: [tickets.freeMedium.documentId], action: 'assign', agent: null })).body.data[0].ok).toBe(true);
      expect((await bulk({ documentIds: [tickets.freeMedium.documentId], action: 'assign', agent: other.id })).body.data[0].ok).toBe(true);
      expect(keysOf((await get(`/helpdesk-admin/tickets?view=open&assignee=${other.id}&sort=ticketNumber:asc`)).body.data)).toEqual(['otherUrgent', 'freeMedium']);
    });

    it('changes status through the transition rules: an illegal move fails alone, and says why', async () => {
      const keys = ['freeHigh', 'oldClosed', 'otherUrgent'];
      const before = await Promise.all(keys.map((key) => history(key, 'status_changed')));
      const answer = await bulk({ documentIds: [...keys.map((key) => tickets[key].documentId), 'no-such-ticket'], action: 'status', ticketStatus: 'pending', note: 'Waiting for the customer' });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual([
        { documentId: tickets.freeHigh.documentId, ticketNumber: tickets.freeHigh.ticketNumber, ok: true },
        { documentId: tickets.oldClosed.documentId, ticketNumber: tickets.oldClosed.ticketNumber, ok: false, error: 'a ticket cannot move from closed to pending' },
        { documentId: tickets.otherUrgent.documentId, ticketNumber: tickets.otherUrgent.ticketNumber, ok: true },
        { documentId: 'no-such-ticket', ticketNumber: null, ok: false, error: 'Ticket not found' },
      ]);
      const after = await Promise.all(keys.map((key) => history(key, 'status_changed')));
      expect(after.map((rows, i) => rows.length - before[i].length)).toEqual([1, 0, 1]);
      expect(after[0].at(-1)).toMatchObject({ newValue: 'pending', note: 'Waiting for the customer' });
      const statuses = (await helpdesk.strapi.db.query(TICKET).findMany({
        where: { documentId: { $in: keys.map((key) => tickets[key].documentId) } },
        select: ['documentId', 'ticketStatus'],
      })) as Array<{ documentId: string; ticketStatus: string }>;
      expect(Object.fromEntries(statuses.map((row) => [row.documentId, row.ticketStatus]))).toEqual({
        [tickets.freeHigh.documentId]: 'pending',
        [tickets.oldClosed.documentId]: 'closed',
        [tickets.otherUrgent.documentId]: 'pending',
      });
    });

    it.each([
      ['no tickets', { documentIds: [], action: 'assign', agent: 'me' }, 'documentIds'],
      ['101 tickets', { documentIds: Array.from({ length: 101 }, (_, i) => `d${i}`), action: 'assign', agent: 'me' }, 'documentIds'],
      ['an unknown action', { documentIds: ['x'], action: 'delete' }, 'action'],
      ['an unknown status', { documentIds: ['x'], action: 'status', ticketStatus: 'done' }, 'ticketStatus'],
      ['agent "you"', { documentIds: ['x'], action: 'assign', agent: 'you' }, 'agent'],
      ['an agent id nobody has', { documentIds: ['x'], action: 'assign', agent: 99999 }, 'agent'],
      ['an unknown field', { documentIds: ['x'], action: 'assign', agent: 'me', extra: 1 }, 'extra'],
    ])('refuses %s with a 400 naming the field, changing nothing', async (_label, body, field) => {
      const historyBefore = await helpdesk.strapi.db.query(HISTORY).count({});
      const answer = await bulk(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details.errors?.[0]?.path[0]).toBe(field);
      expect(await helpdesk.strapi.db.query(HISTORY).count({})).toBe(historyBefore);
    });
  });
  // last: it rebuilds the ticket table's inbox columns
  describe('migration', () => {
    it('the migration adds both columns to an existing database and backfills them', async () => {
      const knex = helpdesk.strapi.db.connection;
      // a comment newer than its ticket's last update: the backfill takes the comment's time
      const commented = tickets.freeMedium;
      const commentAt = new Date(Date.now() + 60_000);
      const comment = await helpdesk.strapi.documents(COMMENT).create({ data: { ticket: commented.documentId, body: 'Later', isInternal: true, authorType: 'staff', source: 'api' } as never });
      await helpdesk.strapi.db.query(COMMENT).update({ where: { documentId: comment.documentId }, data: { createdAt: commentAt } });
      // a database from before this change: no columns (and so no indexes on them), and, as then,
      // the app's table names (the helpdesk was not a plugin yet; renamed back below)
      await knex.schema.alterTable('helpdesk_tickets', (t) => {
        t.dropIndex([], 'helpdesk_tickets_priority_rank_idx');
        t.dropIndex([], 'helpdesk_tickets_last_activity_at_idx');
      });
      await knex.schema.alterTable('helpdesk_tickets', (t) => t.dropColumns('priority_rank', 'last_activity_at'));
      expect(await knex.schema.hasColumn('helpdesk_tickets', 'priority_rank')).toBe(false);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const migration = require(path.resolve(__dirname, '..', 'database', 'migrations', '2026.11.24T00.00.00.ticket-inbox-fields.js')) as { up(k: typeof knex): Promise<void> };
      const rows = (await withPrePluginTableNames(knex, ['tickets', 'comments', 'comments_ticket_lnk', 'attachments', 'attachments_ticket_lnk'], async () => {
        await migration.up(knex);
        await migration.up(knex); // twice: nothing changes the second time
        return knex('tickets').select('id', 'priority', 'priority_rank', 'last_activity_at', 'updated_at');
      })) as Array<{
        id: number;
        priority: string;
        priority_rank: number;
        last_activity_at: string | number | Date;
        updated_at: string | number | Date;
      }>;
      expect(rows.length).toBeGreaterThanOrEqual(SEEDS.length);
      for (const row of rows) {
        expect(Number(row.priority_rank)).toBe(5 - SEVERITY.indexOf(row.priority));
        const expected = row.id === commented.id ? commentAt.getTime() : new Date(row.updated_at).getTime();
        expect([row.id, new Date(row.last_activity_at).getTime()]).toEqual([row.id, expected]);
      }
      // put the schema back the way the sync makes it, indexes included
      await knex.schema.alterTable('helpdesk_tickets', (t) => {
        t.index(['priority_rank', 'id'], 'helpdesk_tickets_priority_rank_idx');
        t.index(['last_activity_at', 'id'], 'helpdesk_tickets_last_activity_at_idx');
      });
    });
  });
});
