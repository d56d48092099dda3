import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';
const PAST = '2020-01-01T00:00:00.000Z';
const FUTURE = '2999-01-01T00:00:00.000Z';

interface Seed {
  key: string;
  subject: string;
  ticketStatus: 'new' | 'open' | 'pending' | 'resolved' | 'closed';
  priority?: 'low' | 'medium' | 'high';
  createdAt: string;
  dueDate?: string;
  assignee?: 'me' | 'other';
  email?: string;
  description?: string;
  tags?: string[];
}

// A (mine, open, overdue)  B (other's, open, overdue)  C (unassigned, resolved, due in the past)
// D (unassigned, new, due later, tagged)  E (mine, closed, due in the past)  F (unassigned, pending, no due date)
const SEEDS: Seed[] = [
  { key: 'A', subject: 'Printer offline', ticketStatus: 'open', priority: 'high', createdAt: '2026-01-10T09:00:00.000Z', dueDate: PAST, assignee: 'me' },
  { key: 'B', subject: 'VPN broken', ticketStatus: 'open', priority: 'high', createdAt: '2026-02-10T09:00:00.000Z', dueDate: PAST, assignee: 'other' },
  { key: 'C', subject: 'Invoice wrong', ticketStatus: 'resolved', createdAt: '2026-03-10T00:00:00.000Z', dueDate: PAST, email: 'billing@acme.test' },
  { key: 'D', subject: 'Password reset', ticketStatus: 'new', priority: 'high', createdAt: '2026-04-10T09:00:00.000Z', dueDate: FUTURE, tags: ['VIP', 'login'] },
  { key: 'E', subject: 'Laptop slow', ticketStatus: 'closed', createdAt: '2026-05-10T09:00:00.000Z', dueDate: PAST, assignee: 'me' },
  { key: 'F', subject: 'Feature idea', ticketStatus: 'pending', createdAt: '2026-06-10T09:00:00.000Z', description: 'please add a DARK theme' },
];

describe('ticket list filters', () => {
  let helpdesk: Helpdesk;
  let me: { id: number; jwt: string };
  let other: { id: number; jwt: string };
  const numbers: Record<string, string> = {};

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    me = await helpdesk.agent();
    other = await helpdesk.agent();
    for (const seed of SEEDS) {
      const { key, createdAt, assignee, ...fields } = seed;
      const ticket = await helpdesk.strapi.documents(TICKET).create({
        data: { ...fields, assignee: assignee === 'me' ? me.id : assignee === 'other' ? other.id : undefined },
      });
      // creation time is the server's, and the SLA gives every ticket a due date: set the ones this dataset needs
      await helpdesk.strapi.db.query(TICKET).update({
        where: { id: ticket.id },
        data: { createdAt: new Date(createdAt), dueDate: seed.dueDate ? new Date(seed.dueDate) : null },
      });
      numbers[String(ticket.ticketNumber)] = key;
    }
  });
  afterAll(() => helpdesk?.stop());

  /** The list for a query string, as dataset keys in creation order, with the pagination meta. */
  const list = async (query: string) => {
    const response = await helpdesk.request('GET', `/api/tickets?sort=createdAt:asc&${query}`, { token: me.jwt });
    expect([query, response.status]).toEqual([query, 200]);
    const keys = (response.body.data as Array<{ ticketNumber: string }>).map((t) => numbers[t.ticketNumber]);
    return { keys, pagination: response.body.meta.pagination };
  };

  it.each([
    ['my=true', ['A', 'E']],
    ['unassigned=true', ['C', 'D', 'F']],
    ['overdue=true', ['A', 'B']],
    ['createdAfter=2026-03-10', ['C', 'D', 'E', 'F']],
    ['createdAfter=2026-03-10T00:00:01Z', ['D', 'E', 'F']],
    ['createdBefore=2026-03-10', ['A', 'B']],
    ['createdBefore=2026-03-10T01:00:00%2B01:00', ['A', 'B']],
    ['search=PRINTER', ['A']],
    ['search=Billing%40ACME', ['C']],
    ['search=vip', ['D']],
    ['search=dark%20theme', ['F']],
    ['search=%25', []],
    ['assignee=OTHER', ['B']],
  ])('filters by %s alone', async (query, expected) => {
    const resolved = query.replace('OTHER', String(other.id));
    const { keys, pagination } = await list(resolved);
    expect(keys).toEqual(expected);
    expect(pagination).toEqual({ page: 1, pageSize: 25, pageCount: expected.length ? 1 : 0, total: expected.length });
  });

  it('finds a ticket by its number', async () => {
    const [number] = Object.entries(numbers).find(([, key]) => key === 'E')!;
    expect((await list(`search=${number.toLowerCase()}`)).keys).toEqual(['E']);
  });

  it.each([
    ['my=true&overdue=true', ['A']],
    ['unassigned=true&createdAfter=2026-04-01', ['D', 'F']],
    ['unassigned=true&createdAfter=2026-01-01&createdBefore=2026-05-01', ['C', 'D']],
    ['overdue=true&search=vpn', ['B']],
    ['unassigned=true&filters[ticketStatus][$eq]=new', ['D']],
    ['filters[priority][$eq]=high&unassigned=true', ['D']],
    ['filters[priority][$eq]=high&my=true', ['A']],
    ['filters[$or][0][ticketStatus]=closed&filters[$or][1][ticketStatus]=open&my=true', ['A', 'E']],
    ['my=true&unassigned=true', []],
    ['my=false&unassigned=false&overdue=false', ['A', 'B', 'C', 'D', 'E', 'F']],
    ['search=', ['A', 'B', 'C', 'D', 'E', 'F']],
  ])('combines %s', async (query, expected) => {
    const { keys, pagination } = await list(query);
    expect(keys).toEqual(expected);
    expect(pagination.total).toBe(expected.length);
  });

  it('paginates filtered lists as Strapi does', async () => {
    const second = await list('unassigned=true&pagination[page]=2&pagination[pageSize]=2');
    expect(second.keys).toEqual(['F']);
    expect(second.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 2, total: 3 });

    const offset = await list('my=false&overdue=true&pagination[start]=1&pagination[limit]=1');
    expect(offset.keys).toEqual(['B']);
    expect(offset.pagination).toEqual({ start: 1, limit: 1, total: 2 });

    const newestFirst = await helpdesk.request('GET', '/api/tickets?unassigned=true&sort=createdAt:desc&fields[0]=subject', { token: me.jwt });
    expect(newestFirst.body.data.map((t: { subject: string }) => t.subject)).toEqual(['Feature idea', 'Password reset', 'Invoice wrong']);
  });

  const snapshot = async () => ({
    count: await helpdesk.strapi.db.query(TICKET).count({}),
    rows: await helpdesk.strapi.db.query(TICKET).findMany({ orderBy: { id: 'asc' } }),
  });

  it.each([
    ['my=yes', 'my'],
    ['unassigned=1', 'unassigned'],
    ['overdue=', 'overdue'],
    ['my=true&my=true', 'my'],
    ['createdAfter=yesterday', 'createdAfter'],
    ['createdAfter=2026-13-01', 'createdAfter'],
    ['createdBefore=2026-01-01T10:00:00', 'createdBefore'],
    ['createdAfter=2026-02-01&createdBefore=2026-01-01', 'createdBefore'],
    [`search=${'x'.repeat(201)}`, 'search'],
    ['search[$ne]=x', 'search'],
    ['assignee=abc', 'assignee'],
    ['assignee=0', 'assignee'],
    ['assignee=99999999999', 'assignee'],
    ['filters[estimatedHours][$gt]=abc', 'filters[estimatedHours][$gt]'],
    ['filters[estimatedHours][$in][0]=1&filters[estimatedHours][$in][1]=x', 'filters[estimatedHours][$in][1]'],
    ['filters[estimatedHours][$between][0]=1', 'filters[estimatedHours][$between]'],
    ['filters[$or][0][actualHours][$lt]=ten', 'filters[$or][0][actualHours][$lt]'],
    ['filters[id][$eq]=abc', 'filters[id][$eq]'],
    ['filters[id][$gt]=99999999999999999999', 'filters[id][$gt]'],
    ['filters[assignee][id][$eq]=abc', 'filters[assignee][id][$eq]'],
    ['filters[assignee][$in][0]=me', 'filters[assignee][$in][0]'],
    ['filters[isGuest][$eq]=maybe', 'filters[isGuest][$eq]'],
    ['filters[ticketStatus][$eq]=done', 'filters[ticketStatus][$eq]'],
    ['filters[priority][$in][0]=high&filters[priority][$in][1]=asap', 'filters[priority][$in][1]'],
    ['filters[tags][$contains]=vip', 'filters[tags][$contains]'],
    ['filters[createdAt][$startsWith]=2026', 'filters[createdAt][$startsWith]'],
    ['filters[$and][ticketStatus]=open', 'filters[$and]'],
  ])('answers 400 naming the parameter for %s, and changes nothing', async (query, param) => {
    const before = await snapshot();
    const response = await helpdesk.request('GET', `/api/tickets?${query}`, { token: me.jwt });
    expect([query, response.status]).toEqual([query, 400]);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(response.body.error.message.startsWith(`${param}: `)).toBe(true);
    const path: string[] = response.body.error.details.errors[0].path;
    expect(path.map((part, i) => (i === 0 ? part : `[${part}]`)).join('')).toBe(param);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 for filter values Strapi itself refuses, and for unknown parameters', async () => {
    for (const query of ['filters[createdAt][$gt]=abc', 'filters[dueDate][$lt]=soon', 'filters[nope][$eq]=1', 'mine=true', 'filters[subject][$like]=x']) {
      const response = await helpdesk.request('GET', `/api/tickets?${query}`, { token: me.jwt });
      expect([query, response.status, response.body.error.name]).toEqual([query, 400, 'ValidationError']);
    }
  });

  it('keeps what works on any field working: case-insensitive text operators, null checks, good numbers', async () => {
    expect((await list('filters[tags][$containsi]=vip')).keys).toEqual(['D']);
    expect((await list('filters[dueDate][$null]=true')).keys).toEqual(['F']);
    expect((await list('filters[estimatedHours][$gt]=1.5')).keys).toEqual([]);
    expect((await list('filters[isGuest][$eq]=false&overdue=true')).keys).toEqual(['A', 'B']);
    expect((await list('filters[subject][$contains]=VPN')).keys).toEqual(['B']);
    expect((await list(`filters[assignee][id][$eq]=${other.id}`)).keys).toEqual(['B']);
    // a value-less filter is null to Strapi (IS NULL); a list without our parameters reaches Strapi as sent
    expect((await list('filters[description][$eq]')).keys).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('answers 404 for an assignee id that names nobody, and for a ticket that does not exist', async () => {
    const unknownUser = await helpdesk.request('GET', '/api/tickets?assignee=987654', { token: me.jwt });
    expect(unknownUser.status).toBe(404);
    expect(unknownUser.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
    expect(unknownUser.body.error.message).toContain('assignee');

    const missing = await helpdesk.request('GET', '/api/tickets/no-such-document', { token: me.jwt });
    expect(missing.status).toBe(404);
  });

  it('has the indexes behind list filters and statistics breakdowns', async () => {
    const indexes = (await helpdesk.strapi.db.dialect.schemaInspector.getIndexes('helpdesk_tickets')) as Array<{ columns: string[] }>;
    const columnSets = indexes.map((index) => index.columns.join(','));
    for (const columns of ['ticket_status,priority', 'category', 'source']) expect(columnSets).toContain(columns);
  });
});
