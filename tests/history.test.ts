import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';
const HISTORY = 'plugin::helpdesk.ticket-history';

interface HistoryRow {
  action: string;
  fieldName: string | null;
  oldValue: string | null;
  newValue: string | null;
  actorType: string;
  actorName: string;
}

describe('ticket history', () => {
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };
  let admin: { id: number; token: string };

  const historyOf = async (ticketId: number | string): Promise<HistoryRow[]> =>
    (await helpdesk.strapi.db.query(HISTORY).findMany({
      where: { ticket: { id: ticketId } },
      orderBy: { id: 'asc' },
    })) as HistoryRow[];

  const newTicket = () => helpdesk.strapi.documents(TICKET).create({ data: { subject: 'History subject' } });

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    agent = await helpdesk.agent('history-agent@example.test');
    admin = await helpdesk.admin();
  });
  afterAll(() => helpdesk?.stop());

  it('writes one "created" row per new ticket, whatever the origin', async () => {
    const fromCode = await newTicket();
    const fromRest = await helpdesk.request('POST', '/api/tickets', { token: agent.jwt, body: { data: { subject: 'rest' } } });
    const fromPanel = await helpdesk.request('POST', `/content-manager/collection-types/${TICKET}`, {
      token: admin.token,
      body: { subject: 'panel' },
    });
    expect([fromRest.status, fromPanel.status]).toEqual([201, 201]);

    const rows = [
      await historyOf(fromCode.id),
      await historyOf(fromRest.body.data.id),
      await historyOf(fromPanel.body.data.id),
    ];
    expect(rows.map((r) => r.map((row) => [row.action, row.actorType]))).toEqual([
      [['created', 'system']],
      [['created', 'agent']],
      [['created', 'admin']],
    ]);
    expect(rows[1][0].actorName).toBe('history-agent');
    expect(rows[2][0].actorName).toBe('Ada Admin');
  });

  it('records a status change through the REST API once, with old and new value and the agent', async () => {
    const ticket = await newTicket();
    const response = await helpdesk.request('PUT', `/api/tickets/${ticket.documentId}`, {
      token: agent.jwt,
      body: { data: { ticketStatus: 'in_progress' } },
    });
    expect(response.status).toBe(200);
    const rows = await historyOf(ticket.id);
    expect(rows.slice(1)).toEqual([
      expect.objectContaining({ action: 'status_changed', fieldName: 'ticketStatus', oldValue: 'new', newValue: 'in_progress', actorType: 'agent' }),
    ]);
  });

  it('records a change made in the Content Manager once, even though the form sends every field', async () => {
    const ticket = await newTicket();
    const current = await helpdesk.request('GET', `/content-manager/collection-types/${TICKET}/${ticket.documentId}`, {
      token: admin.token,
    });
    expect(current.status).toBe(200);
    expect(current.body.data.ticketStatus).toBe('new');
    const { id, documentId, createdAt, updatedAt, ...form } = current.body.data;
    const response = await helpdesk.request('PUT', `/content-manager/collection-types/${TICKET}/${ticket.documentId}`, {
      token: admin.token,
      body: { ...form, priority: 'urgent' },
    });
    expect(response.status).toBe(200);
    const rows = await historyOf(ticket.id);
    // the SLA due date follows the new priority: one row for each field that changed
    expect(rows.slice(1)).toEqual([
      expect.objectContaining({ action: 'priority_changed', oldValue: 'medium', newValue: 'urgent', actorType: 'admin', actorName: 'Ada Admin' }),
      expect.objectContaining({ action: 'due_date_changed', fieldName: 'dueDate', actorType: 'admin' }),
    ]);
  });

  it('records changes made by server code once per field, and nothing when nothing changed', async () => {
    const ticket = await newTicket();
    const slaDue = new Date(String(ticket.dueDate)).toISOString();
    const due = '2030-01-15T10:00:00.000Z';
    await helpdesk.strapi.documents(TICKET).update({
      documentId: ticket.documentId,
      data: { category: 'billing', dueDate: due, subject: 'not tracked' },
    });
    await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { category: 'billing' } });
    const rows = await historyOf(ticket.id);
    expect(rows.slice(1).map((r) => [r.action, r.oldValue, r.newValue, r.actorType])).toEqual([
      ['category_changed', 'general', 'billing', 'system'],
      ['due_date_changed', slaDue, due, 'system'],
    ]);
  });

  it('records assignment to an agent, and refuses a non-agent assignee without changing anything', async () => {
    const ticket = await newTicket();
    const assigned = await helpdesk.request('PUT', `/api/tickets/${ticket.documentId}`, {
      token: agent.jwt,
      body: { data: { assignee: agent.id } },
    });
    expect(assigned.status).toBe(200);

    const outsider = await helpdesk.strapi.plugin('users-permissions').service('user').add({
      username: 'outsider', email: 'outsider@example.test', password: 'Password-123', provider: 'local', confirmed: true,
      role: (await helpdesk.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } })).id,
    });
    const refused = await helpdesk.request('PUT', `/api/tickets/${ticket.documentId}`, {
      token: agent.jwt,
      body: { data: { assignee: outsider.id, priority: 'high' } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['assignee']);

    const ticketsBefore = await helpdesk.strapi.db.query(TICKET).count({});
    const refusedCreate = await helpdesk.request('POST', '/api/tickets', {
      token: agent.jwt,
      body: { data: { subject: 'assigned at birth', assignee: outsider.id } },
    });
    expect(refusedCreate.status).toBe(400);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(ticketsBefore);

    const assignedAtBirth = await helpdesk.request('POST', '/api/tickets', {
      token: agent.jwt,
      body: { data: { subject: 'assigned from the start', assignee: agent.id } },
    });
    expect(assignedAtBirth.status).toBe(201);
    expect((await historyOf(assignedAtBirth.body.data.id)).map((r) => [r.action, r.newValue])).toEqual([
      ['created', assignedAtBirth.body.data.ticketNumber],
      ['assigned', 'history-agent'],
    ]);

    const stored = await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: ticket.id }, populate: ['assignee'] });
    expect(stored.assignee.id).toBe(agent.id);
    expect(stored.priority).toBe('medium');
    const rows = await historyOf(ticket.id);
    expect(rows.slice(1).map((r) => [r.action, r.oldValue, r.newValue])).toEqual([['assigned', null, 'history-agent']]);
  });

  it('sets and clears resolvedAt and closedAt as the status moves', async () => {
    const ticket = await newTicket();
    const update = (status: 'resolved' | 'closed' | 'reopened') =>
      helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { ticketStatus: status } });
    const resolved = await update('resolved');
    expect(resolved?.resolvedAt).toBeTruthy();
    expect(resolved?.closedAt).toBeNull();
    const closed = await update('closed');
    expect(closed?.closedAt).toBeTruthy();
    expect(new Date(closed!.resolvedAt as string).getTime()).toBe(new Date(resolved!.resolvedAt as string).getTime());
    const reopened = await update('reopened');
    expect(reopened?.resolvedAt).toBeNull();
    expect(reopened?.closedAt).toBeNull();
    const rows = await historyOf(ticket.id);
    expect(rows.slice(1).map((r) => `${r.oldValue}->${r.newValue}`)).toEqual(['new->resolved', 'resolved->closed', 'closed->reopened']);
  });

  it('records one row per comment from REST, the admin panel and server code, and stamps the first response', async () => {
    const ticket = await newTicket();
    const viaRest = await helpdesk.request('POST', '/api/comments', {
      token: agent.jwt,
      body: { data: { ticket: ticket.documentId, body: 'We are on it' } },
    });
    expect(viaRest.status).toBe(201);
    const viaPanel = await helpdesk.request('POST', '/content-manager/collection-types/plugin::helpdesk.comment', {
      token: admin.token,
      body: { ticket: { connect: [{ documentId: ticket.documentId }] }, body: 'Internal note', isInternal: true },
    });
    expect(viaPanel.status).toBe(201);
    await helpdesk.strapi.documents('plugin::helpdesk.comment').create({
      data: { ticket: ticket.documentId, body: 'Automatic note', authorType: 'system' } as never,
    });

    const rows = await historyOf(ticket.id);
    // the agent's public reply, the first, also opened the new ticket (Open on first reply)
    expect(rows.slice(1).map((r) => [r.action, r.actorType, r.newValue === 'open' ? 'open' : ''])).toEqual([
      ['commented', 'agent', ''],
      ['status_changed', 'agent', 'open'],
      ['commented', 'admin', ''],
      ['commented', 'system', ''],
    ]);
    const comment = await helpdesk.strapi.db.query('plugin::helpdesk.comment').findOne({ where: { documentId: viaRest.body.data.documentId } });
    expect(comment).toMatchObject({ authorType: 'staff', source: 'api', authorName: 'history-agent' });
    const stored = await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: ticket.id } });
    expect(stored.firstResponseAt).toBeTruthy();
  });

  it('records one row per attachment added through REST', async () => {
    const ticket = await newTicket();
    const form = new FormData();
    form.append('files', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const upload = await fetch(`${helpdesk.baseUrl}/api/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.jwt}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const [file] = (await upload.json()) as Array<{ id: number }>;
    const attachment = await helpdesk.request('POST', '/api/attachments', {
      token: agent.jwt,
      body: { data: { ticket: ticket.documentId, file: file.id } },
    });
    expect(attachment.status).toBe(201);
    const stored = await helpdesk.strapi.db.query('plugin::helpdesk.attachment').findOne({ where: { id: attachment.body.data.id } });
    expect(stored).toMatchObject({ filename: 'hello.txt', mimeType: 'text/plain', uploadedByType: 'agent' });
    const rows = await historyOf(ticket.id);
    expect(rows.slice(1).map((r) => [r.action, r.newValue])).toEqual([['attachment_added', 'hello.txt']]);
  });

  it('cannot be written, edited or deleted through the REST API or the admin panel', async () => {
    const ticket = await newTicket();
    const [row] = (await helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { id: ticket.id } } })) as Array<{ documentId: string }>;
    const attempts = [
      await helpdesk.request('POST', '/api/ticket-histories', { token: agent.jwt, body: { data: { action: 'created' } } }),
      await helpdesk.request('PUT', `/api/ticket-histories/${row.documentId}`, { token: agent.jwt, body: { data: { newValue: 'forged' } } }),
      await helpdesk.request('DELETE', `/api/ticket-histories/${row.documentId}`, { token: agent.jwt }),
      await helpdesk.request('PUT', `/content-manager/collection-types/${HISTORY}/${row.documentId}`, { token: admin.token, body: { newValue: 'forged' } }),
      await helpdesk.request('DELETE', `/content-manager/collection-types/${HISTORY}/${row.documentId}`, { token: admin.token }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBeGreaterThanOrEqual(400);
      expect(attempt.status).toBeLessThan(500);
    }
    const after = await historyOf(ticket.id);
    expect(after).toHaveLength(1);
    expect(after[0].newValue).toBe(ticket.ticketNumber);
    const readable = await helpdesk.request('GET', `/api/ticket-histories/${row.documentId}`, { token: agent.jwt });
    expect(readable.status).toBe(200);
  });
});
