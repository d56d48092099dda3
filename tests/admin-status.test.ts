import { contentTypes } from '@strapi/utils';
import { recordLog, startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';
const HISTORY = 'plugin::helpdesk.ticket-history';
const CM = `/content-manager/collection-types/${TICKET}`;

interface ListAnswer {
  results: Array<{ documentId: string; ticketNumber: string; ticketStatus: string }>;
  pagination: { total: number };
}

/**
 * The ticket's status as staff use it in the Content Manager, through the same admin API requests
 * the admin UI sends: no custom code sits between the panel and the field any more.
 */
describe('ticket status in the Content Manager', () => {
  let helpdesk: Helpdesk;
  let admin: { id: number; token: string };
  const warnings: string[] = [];
  const created: Record<string, string> = {};

  beforeAll(async () => {
    // Strapi reports reserved attribute names as warnings while it loads the content types
    helpdesk = await startHelpdesk({ beforeLoad: recordLog('warn', warnings) });
    admin = await helpdesk.admin();
    for (const status of ['open', 'pending', 'open', 'resolved', 'new'] as const) {
      const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: `Status ${status}`, ticketStatus: status } });
      created[ticket.documentId] = status;
    }
  });
  afterAll(() => helpdesk?.stop());

  it('boots without a warning about reserved attribute names, and has none to warn about', () => {
    expect(warnings.filter((message) => /reserved/i.test(message))).toEqual([]);
    // Strapi only warns when draft & publish is on; check every helpdesk type as if it were
    const helpdeskTypes = Object.keys(helpdesk.strapi.contentTypes).filter((uid) => uid.startsWith('plugin::helpdesk.'));
    expect(helpdeskTypes.length).toBeGreaterThanOrEqual(9);
    for (const uid of helpdeskTypes) {
      const names = Object.keys(helpdesk.strapi.contentType(uid as typeof TICKET).attributes);
      expect([uid, contentTypes.findDraftAndPublishReservedAttributeNames(names)]).toEqual([uid, []]);
    }
  });

  it('lists the real status of every ticket', async () => {
    const list = await helpdesk.request<ListAnswer>('GET', `${CM}?page=1&pageSize=50&sort=createdAt:DESC`, { token: admin.token });
    expect(list.status).toBe(200);
    const shown = Object.fromEntries(list.body.results.map((t) => [t.documentId, t.ticketStatus]));
    expect(shown).toEqual(created);
  });

  it("filters the list by status with the Content Manager's own filter query", async () => {
    const list = await helpdesk.request<ListAnswer>(
      'GET',
      `${CM}?page=1&pageSize=50&filters[$and][0][ticketStatus][$eq]=open`,
      { token: admin.token }
    );
    expect(list.status).toBe(200);
    expect(list.body.pagination.total).toBe(2);
    expect(list.body.results.map((t) => t.ticketStatus)).toEqual(['open', 'open']);
  });

  it('sorts the list by status, both ways', async () => {
    for (const order of ['ASC', 'DESC'] as const) {
      const list = await helpdesk.request<ListAnswer>('GET', `${CM}?page=1&pageSize=50&sort=ticketStatus:${order}`, { token: admin.token });
      expect(list.status).toBe(200);
      const statuses = list.body.results.map((t) => t.ticketStatus);
      const sorted = [...statuses].sort();
      expect(statuses).toEqual(order === 'ASC' ? sorted : sorted.reverse());
      expect(new Set(statuses)).toEqual(new Set(['new', 'open', 'pending', 'resolved']));
    }
  });

  it('labels the field "Status" and offers the ticket statuses in the edit view', async () => {
    const configuration = await helpdesk.request('GET', `/content-manager/content-types/${TICKET}/configuration`, { token: admin.token });
    expect(configuration.status).toBe(200);
    const metadata = configuration.body.data.contentType.metadatas.ticketStatus;
    expect(metadata.edit.label).toBe('Status');
    expect(metadata.list.label).toBe('Status');
    expect(metadata.list.sortable).toBe(true);
    const attribute = helpdesk.strapi.contentType(TICKET).attributes.ticketStatus as { type: string; enum: string[] };
    expect(attribute.type).toBe('enumeration');
    expect(attribute.enum).toEqual(['new', 'open', 'in_progress', 'pending', 'on_hold', 'resolved', 'closed', 'reopened']);
    expect(helpdesk.strapi.contentType(TICKET).attributes).not.toHaveProperty('status');
  });

  it('saves a status chosen in the edit form, with one status_changed row naming the admin', async () => {
    const [documentId] = Object.entries(created).find(([, status]) => status === 'new')!;
    const current = await helpdesk.request('GET', `${CM}/${documentId}`, { token: admin.token });
    expect(current.body.data.ticketStatus).toBe('new');
    // the form sends every field back, as the admin UI does
    const { id, documentId: _documentId, createdAt, updatedAt, ...form } = current.body.data;
    const saved = await helpdesk.request('PUT', `${CM}/${documentId}`, { token: admin.token, body: { ...form, ticketStatus: 'pending' } });
    expect(saved.status).toBe(200);
    expect(saved.body.data.ticketStatus).toBe('pending');

    const stored = await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId } });
    expect(stored.ticketStatus).toBe('pending');
    const rows = await helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { id } }, orderBy: { id: 'asc' } });
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['created', 'status_changed']);
    expect(rows[1]).toMatchObject({ fieldName: 'ticketStatus', oldValue: 'new', newValue: 'pending', actorType: 'admin', actorName: 'Ada Admin' });

    // saving the same form again changes nothing and writes nothing
    await helpdesk.request('PUT', `${CM}/${documentId}`, { token: admin.token, body: { ...form, ticketStatus: 'pending' } });
    expect(await helpdesk.strapi.db.query(HISTORY).count({ where: { ticket: { id } } })).toBe(2);
  });

  it('refuses a status that is not a ticket status, changing nothing', async () => {
    const [documentId] = Object.entries(created).find(([, status]) => status === 'resolved')!;
    const saved = await helpdesk.request('PUT', `${CM}/${documentId}`, { token: admin.token, body: { ticketStatus: 'published' } });
    expect(saved.status).toBe(400);
    expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId } })).ticketStatus).toBe('resolved');
  });

  it('answers REST lists filtered by ticketStatus', async () => {
    const agent = await helpdesk.agent();
    const list = await helpdesk.request('GET', '/api/tickets?filters[ticketStatus][$eq]=open', { token: agent.jwt });
    expect(list.status).toBe(200);
    expect(list.body.data.map((t: { ticketStatus: string }) => t.ticketStatus)).toEqual(['open', 'open']);
  });
});
