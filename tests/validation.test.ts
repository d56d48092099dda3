import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';

describe('bad input on REST writes', () => {
  let helpdesk: Helpdesk;
  let jwt: string;
  let existing: { documentId: string; id: number | string };

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    jwt = (await helpdesk.agent()).jwt;
    existing = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Existing' } });
  });
  afterAll(() => helpdesk?.stop());

  const snapshot = async () => ({
    tickets: await helpdesk.strapi.db.query(TICKET).count({}),
    history: await helpdesk.strapi.db.query('plugin::helpdesk.ticket-history').count({}),
    contacts: await helpdesk.strapi.db.query('plugin::helpdesk.contact').count({}),
    existing: await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: existing.id } }),
  });

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown field', { subject: 'x', favouriteColour: 'blue' }, 'favouriteColour'],
    ['ticketNumber', { subject: 'x', ticketNumber: 'TKT-2000-00001' }, 'ticketNumber'],
    ['isGuest', { subject: 'x', isGuest: true }, 'isGuest'],
    ['source', { subject: 'x', source: 'email' }, 'source'],
    ['resolvedAt', { subject: 'x', resolvedAt: '2026-01-01T00:00:00Z' }, 'resolvedAt'],
    ['closedAt', { subject: 'x', closedAt: '2026-01-01T00:00:00Z' }, 'closedAt'],
    ['firstResponseAt', { subject: 'x', firstResponseAt: '2026-01-01T00:00:00Z' }, 'firstResponseAt'],
    ['createdAt', { subject: 'x', createdAt: '2020-01-01T00:00:00Z' }, 'createdAt'],
    ['submittedBy', { subject: 'x', submittedBy: 1 }, 'submittedBy'],
    ['history', { subject: 'x', history: [1] }, 'history'],
    ['a wrong status', { subject: 'x', ticketStatus: 'done' }, 'ticketStatus'],
    ['a wrong priority', { subject: 'x', priority: 'whenever' }, 'priority'],
    ['a wrong category', { subject: 'x', category: 'gossip' }, 'category'],
    ['an over-long subject', { subject: 's'.repeat(201) }, 'subject'],
    ['an over-long description', { subject: 'x', description: 'd'.repeat(20001) }, 'description'],
    ['an over-long company', { subject: 'x', company: 'c'.repeat(201) }, 'company'],
    ['a malformed email', { subject: 'x', email: 'not-an-email' }, 'email'],
    ['a wrong type', { subject: 'x', estimatedHours: 'ten' }, 'estimatedHours'],
    ['a negative number', { subject: 'x', actualHours: -1 }, 'actualHours'],
    ['a bad date', { subject: 'x', dueDate: 'next tuesday' }, 'dueDate'],
    ['bad tags', { subject: 'x', tags: 'urgent' }, 'tags'],
    ['an empty subject', { subject: '   ' }, 'subject'],
  ];

  it.each(cases)('answers 400 naming the field for %s on create, and changes nothing', async (_label, data, field) => {
    const before = await snapshot();
    const response = await helpdesk.request('POST', '/api/tickets', { token: jwt, body: { data } });
    expect(response.status).toBe(400);
    expect(response.body.data).toBeNull();
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(response.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(field);
    expect(response.body.error.message).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it.each(cases.filter(([, , field]) => field !== 'subject'))(
    'answers 400 naming the field for %s on update, and changes nothing',
    async (_label, data, field) => {
      const { subject: _subject, ...changes } = data;
      const before = await snapshot();
      const response = await helpdesk.request('PUT', `/api/tickets/${existing.documentId}`, { token: jwt, body: { data: changes } });
      expect(response.status).toBe(400);
      expect(response.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(field);
      expect(await snapshot()).toEqual(before);
    }
  );

  it('answers 400 for a body that is not in the { data } shape, or not JSON', async () => {
    const before = await snapshot();
    const flat = await helpdesk.request('POST', '/api/tickets', { token: jwt, body: { subject: 'flat' } });
    expect(flat.status).toBe(400);
    const garbage = await helpdesk.request('POST', '/api/tickets', { token: jwt, body: '{"data": {' });
    expect(garbage.status).toBe(400);
    const array = await helpdesk.request('POST', '/api/tickets', { token: jwt, body: [] });
    expect(array.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400, not 500, for a relation to something that does not exist', async () => {
    const before = await snapshot();
    const response = await helpdesk.request('POST', '/api/tickets', {
      token: jwt,
      body: { data: { subject: 'x', contact: 'no-such-document-id' } },
    });
    expect(response.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 for an unknown field on comments and contacts', async () => {
    const comment = await helpdesk.request('POST', '/api/comments', {
      token: jwt,
      body: { data: { ticket: existing.documentId, body: 'hi', authorType: 'system' } },
    });
    expect(comment.status).toBe(400);
    expect(comment.body.error.details.errors[0].path).toEqual(['authorType']);
    const contact = await helpdesk.request('POST', '/api/contacts', { token: jwt, body: { data: { email: 'x@example.test', vip: true } } });
    expect(contact.status).toBe(400);
  });

  it('keeps one contact per email address, whatever its case', async () => {
    const first = await helpdesk.request('POST', '/api/tickets', {
      token: jwt,
      body: { data: { subject: 'one', email: 'Jane.Doe@Example.test', firstName: 'Jane' } },
    });
    const second = await helpdesk.request('POST', '/api/tickets', {
      token: jwt,
      body: { data: { subject: 'two', email: 'jane.doe@example.TEST' } },
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    const contacts = await helpdesk.strapi.db.query('plugin::helpdesk.contact').findMany({ where: { email: 'jane.doe@example.test' } });
    expect(contacts).toHaveLength(1);
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.ticket').count({ where: { contact: { id: contacts[0].id } } })).toBe(2);
    // twenty tickets at once from one new address: one contact
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        helpdesk.request('POST', '/api/tickets', { token: jwt, body: { data: { subject: `burst ${i}`, email: 'Burst@Example.test' } } })
      )
    );
    expect(burst.map((r) => r.status)).toEqual(Array(20).fill(201));
    const burstContacts = await helpdesk.strapi.db.query('plugin::helpdesk.contact').findMany({ where: { email: 'burst@example.test' } });
    expect(burstContacts).toHaveLength(1);
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.ticket').count({ where: { contact: { id: burstContacts[0].id } } })).toBe(20);

    // a ticket that fails validation leaves no contact behind
    const contactsBefore = await helpdesk.strapi.db.query('plugin::helpdesk.contact').count({});
    await expect(
      helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'x'.repeat(500), email: 'ghost@example.test' } })
    ).rejects.toThrow();
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.contact').count({})).toBe(contactsBefore);

    const duplicate = await helpdesk.request('POST', '/api/contacts', { token: jwt, body: { data: { email: 'JANE.DOE@example.test' } } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.details.errors[0].path).toEqual(['email']);
  });
});
