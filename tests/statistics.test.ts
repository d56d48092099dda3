import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const PAST = new Date('2020-01-01T00:00:00Z');
const FUTURE = new Date('2999-01-01T00:00:00Z');

/** Midnight UTC, `daysAgo` days before today. */
const dayStart = (daysAgo: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY);
};

interface Row {
  key: string;
  daysAgo: number;
  ticketStatus: string;
  priority: string;
  category: string;
  source: string;
  isGuest: boolean;
  assignee: 'me' | 'other' | null;
  dueDate?: Date;
  /** hours after creation */
  firstResponse?: number;
  resolved?: number;
  closed?: number;
}

// Each ticket is created at 01:00 UTC on its day. The expected figures below are worked out
// from this table by hand.
const ROWS: Row[] = [
  { key: 'T1', daysAgo: 0, ticketStatus: 'open', priority: 'high', category: 'billing', source: 'web', isGuest: true, assignee: 'me', dueDate: PAST, firstResponse: 2 },
  { key: 'T2', daysAgo: 1, ticketStatus: 'resolved', priority: 'low', category: 'bug', source: 'email', isGuest: false, assignee: 'other', dueDate: PAST, firstResponse: 1, resolved: 10 },
  { key: 'T3', daysAgo: 1, ticketStatus: 'closed', priority: 'low', category: 'bug', source: 'api', isGuest: false, assignee: null, firstResponse: 3, resolved: 20, closed: 21 },
  { key: 'T4', daysAgo: 10, ticketStatus: 'new', priority: 'urgent', category: 'support', source: 'web', isGuest: true, assignee: null, dueDate: FUTURE },
  { key: 'T5', daysAgo: 40, ticketStatus: 'resolved', priority: 'medium', category: 'general', source: 'admin', isGuest: false, assignee: 'me', firstResponse: 6, resolved: 30 },
  { key: 'T6', daysAgo: 29, ticketStatus: 'pending', priority: 'high', category: 'technical', source: 'web', isGuest: true, assignee: 'me', dueDate: PAST },
];

const zeroes = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, 0]));
const STATUSES = ['new', 'open', 'in_progress', 'pending', 'on_hold', 'resolved', 'closed', 'reopened'];
const PRIORITIES = ['low', 'medium', 'high', 'urgent', 'critical'];
const CATEGORIES = ['support', 'technical', 'billing', 'product', 'feature_request', 'bug', 'general'];
const SOURCES = ['web', 'email', 'api', 'admin'];

describe('ticket statistics', () => {
  let helpdesk: Helpdesk;
  let me: { id: number; jwt: string };
  let other: { id: number; jwt: string };

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    me = await helpdesk.agent();
    other = await helpdesk.agent();
    // straight into the database, so that every timestamp is the dataset's own
    for (const [i, row] of ROWS.entries()) {
      const createdAt = new Date(dayStart(row.daysAgo).getTime() + HOUR);
      const after = (hours?: number) => (hours === undefined ? null : new Date(createdAt.getTime() + hours * HOUR));
      await helpdesk.strapi.db.query(TICKET).create({
        data: {
          documentId: `stats-${row.key.toLowerCase()}`,
          ticketNumber: `TKT-2026-9000${i}`,
          subject: row.key,
          ticketStatus: row.ticketStatus,
          priority: row.priority,
          category: row.category,
          source: row.source,
          isGuest: row.isGuest,
          assignee: row.assignee === 'me' ? me.id : row.assignee === 'other' ? other.id : null,
          dueDate: row.dueDate ?? null,
          createdAt,
          updatedAt: createdAt,
          firstResponseAt: after(row.firstResponse),
          resolvedAt: after(row.resolved),
          closedAt: after(row.closed),
        },
      });
    }
  });
  afterAll(() => helpdesk?.stop());

  const statistics = async (query = '', token = me.jwt) => {
    const response = await helpdesk.request('GET', `/api/tickets/statistics${query ? `?${query}` : ''}`, { token });
    expect([query, response.status]).toEqual([query, 200]);
    return response.body.data;
  };

  it('stored the dataset as written (timestamps included)', async () => {
    const t2 = await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'T2' }, populate: ['assignee'] });
    expect(new Date(t2.createdAt).getTime()).toBe(dayStart(1).getTime() + HOUR);
    expect(new Date(t2.resolvedAt).getTime() - new Date(t2.createdAt).getTime()).toBe(10 * HOUR);
    expect(t2.assignee.id).toBe(other.id);
  });

  it('counts, breaks down and averages the whole dataset', async () => {
    const stats = await statistics();
    expect(stats).toMatchObject({
      total: 6,
      byStatus: { ...zeroes(STATUSES), open: 1, resolved: 2, closed: 1, new: 1, pending: 1 },
      byPriority: { ...zeroes(PRIORITIES), high: 2, low: 2, urgent: 1, medium: 1 },
      byCategory: { ...zeroes(CATEGORIES), billing: 1, bug: 2, support: 1, general: 1, technical: 1 },
      bySource: { ...zeroes(SOURCES), web: 3, email: 1, api: 1, admin: 1 },
      byRequester: { guest: 3, registered: 3 },
      // T1 and T6: open/pending and due in 2020; T2 is due then too but resolved
      overdue: 2,
      unassigned: 2,
      mine: 3,
      // (2 + 1 + 3 + 6) / 4 and (10 + 20 + 30) / 3
      averageFirstResponseHours: 3,
      averageResolutionHours: 20,
      // created in the window: T1, T2, T3, T4, T6 (T5 is 40 days old); resolved or closed: T2, T3
      resolutionRate: { since: dayStart(29).toISOString(), created: 5, resolved: 2, rate: 0.4 },
    });
    expect(Object.keys(stats.byStatus)).toEqual(STATUSES);
  });

  it('gives every day of the last 30 days, oldest first, zero-filled', async () => {
    const { createdPerDay } = await statistics();
    expect(createdPerDay).toHaveLength(30);
    const expected = Array.from({ length: 30 }, (_, i) => ({ date: dayStart(29 - i).toISOString().slice(0, 10), count: 0 }));
    expected[29].count = 1; // today: T1
    expected[28].count = 2; // yesterday: T2, T3
    expected[19].count = 1; // ten days ago: T4
    expected[0].count = 1; // 29 days ago, the window's first day: T6
    expect(createdPerDay).toEqual(expected);
  });

  it('counts mine for the caller', async () => {
    expect((await statistics('', other.jwt)).mine).toBe(1);
  });

  it('applies the list filters', async () => {
    const assigned = await statistics(`assignee=${me.id}`);
    expect(assigned).toMatchObject({ total: 3, mine: 3, unassigned: 0, overdue: 2, averageFirstResponseHours: 4, averageResolutionHours: 30 });
    expect(assigned.byStatus).toMatchObject({ open: 1, resolved: 1, pending: 1 });

    const recent = await statistics(`createdAfter=${dayStart(5).toISOString()}`);
    expect(recent).toMatchObject({ total: 3, averageFirstResponseHours: 2, averageResolutionHours: 15, resolutionRate: { created: 3, resolved: 2 } });
    expect(recent.resolutionRate.rate).toBeCloseTo(2 / 3, 4);

    const older = await statistics(`createdBefore=${dayStart(5).toISOString()}`);
    expect(older).toMatchObject({ total: 3, averageFirstResponseHours: 6, averageResolutionHours: 30, resolutionRate: { created: 2, resolved: 0, rate: 0 } });

    expect(await statistics('unassigned=true')).toMatchObject({ total: 2, unassigned: 2, mine: 0, byRequester: { guest: 1, registered: 1 } });
    expect(await statistics('overdue=true')).toMatchObject({ total: 2, overdue: 2, byStatus: { open: 1, pending: 1 } });
    expect(await statistics('my=true&overdue=true')).toMatchObject({ total: 2, mine: 2 });
    expect(await statistics('search=t3')).toMatchObject({ total: 1, byStatus: { closed: 1 } });
    expect(await statistics('filters[source][$eq]=web&filters[isGuest][$eq]=true')).toMatchObject({ total: 3, bySource: { web: 3 } });
    expect(await statistics(`filters[assignee][id][$eq]=${other.id}`)).toMatchObject({ total: 1, averageResolutionHours: 10 });
  });

  it('answers nulls and zeroes, not errors, when nothing matches', async () => {
    const none = await statistics('filters[ticketStatus][$eq]=on_hold');
    expect(none).toMatchObject({
      total: 0,
      overdue: 0,
      unassigned: 0,
      mine: 0,
      averageFirstResponseHours: null,
      averageResolutionHours: null,
      resolutionRate: { created: 0, resolved: 0, rate: null },
      byRequester: { guest: 0, registered: 0 },
    });
    expect(none.createdPerDay.every((day: { count: number }) => day.count === 0)).toBe(true);
  });

  it.each([
    ['page=2', 'page'],
    ['sort=createdAt:desc', 'sort'],
    ['my=1', 'my'],
    ['assignee=me', 'assignee'],
    ['createdAfter=last%20week', 'createdAfter'],
    ['filters[estimatedHours][$gt]=many', 'filters[estimatedHours][$gt]'],
    ['filters[ticketStatus][$in][0]=finished', 'filters[ticketStatus][$in][0]'],
  ])('answers 400 naming the parameter for %s', async (query, param) => {
    const response = await helpdesk.request('GET', `/api/tickets/statistics?${query}`, { token: me.jwt });
    expect([query, response.status]).toEqual([query, 400]);
    expect(response.body.error.message.startsWith(`${param}: `)).toBe(true);
  });

  it('answers 400 for a date Strapi cannot read and for an unknown filter key, 404 for an unknown assignee', async () => {
    const date = await helpdesk.request('GET', '/api/tickets/statistics?filters[createdAt][$gt]=soon', { token: me.jwt });
    expect([date.status, date.body.error.name]).toEqual([400, 'ValidationError']);
    const key = await helpdesk.request('GET', '/api/tickets/statistics?filters[nope]=1', { token: me.jwt });
    expect([key.status, key.body.error.name]).toEqual([400, 'ValidationError']);
    const nobody = await helpdesk.request('GET', '/api/tickets/statistics?assignee=424242', { token: me.jwt });
    expect([nobody.status, nobody.body.error.name]).toEqual([404, 'NotFoundError']);
  });
});
