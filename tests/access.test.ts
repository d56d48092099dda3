import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { AGENT_PERMISSIONS, ensureAgentRole } from '../src/plugins/helpdesk/server/src/access/roles';

describe('roles and access', () => {
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };
  let ticketId: string;

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    agent = await helpdesk.agent();
    ticketId = (await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'Access' } })).documentId;
  });
  afterAll(() => helpdesk?.stop());

  const helpdeskRoutes = () => [
    ['GET', '/api/tickets'],
    ['GET', `/api/tickets/${ticketId}`],
    ['POST', '/api/tickets'],
    ['PUT', `/api/tickets/${ticketId}`],
    ['DELETE', `/api/tickets/${ticketId}`],
    ['GET', '/api/comments'],
    ['POST', '/api/comments'],
    ['GET', '/api/attachments'],
    ['POST', '/api/attachments'],
    ['GET', '/api/ticket-histories'],
    ['GET', '/api/contacts'],
    ['POST', '/api/contacts'],
  ];

  it('gives the Public role 403 on every helpdesk route', async () => {
    for (const [method, url] of helpdeskRoutes()) {
      const response = await helpdesk.request(method, url, { body: method === 'GET' || method === 'DELETE' ? undefined : { data: {} } });
      expect([method, url, response.status]).toEqual([method, url, 403]);
      expect(response.body.error.name).toBe('ForbiddenError');
    }
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.ticket').count({})).toBe(1);
  });

  it('lets the Public role submit guest tickets and nothing else of the helpdesk', async () => {
    const publicRole = await helpdesk.strapi.db.query('plugin::users-permissions.role').findOne({
      where: { type: 'public' },
      populate: ['permissions'],
    });
    const helpdeskActions = publicRole.permissions
      .map((p: { action: string }) => p.action)
      .filter((action: string) => action.startsWith('plugin::helpdesk.'));
    expect(helpdeskActions).toEqual(['plugin::helpdesk.ticket.guestCreate']);
    const guest = await helpdesk.request('POST', '/api/tickets/guest', { body: { data: {} } });
    expect(guest.status).toBe(400);
  });

  it('gives a signed-in user without the Agent role 403 on every helpdesk route', async () => {
    const customer = await helpdesk.customer();
    expect(customer.jwt).toEqual(expect.any(String));
    for (const [method, url] of helpdeskRoutes()) {
      const response = await helpdesk.request(method, url, {
        token: customer.jwt,
        body: method === 'GET' || method === 'DELETE' ? undefined : { data: {} },
      });
      expect([method, url, response.status]).toEqual([method, url, 403]);
    }
  });

  it('lets an agent list, read and update tickets, but not delete them', async () => {
    const list = await helpdesk.request('GET', '/api/tickets?sort=createdAt:desc', { token: agent.jwt });
    expect(list.status).toBe(200);
    expect(list.body.data.map((t: { documentId: string }) => t.documentId)).toContain(ticketId);

    const one = await helpdesk.request('GET', `/api/tickets/${ticketId}`, { token: agent.jwt });
    expect(one.status).toBe(200);
    expect(one.body.data.ticketNumber).toMatch(/^TKT-\d{4}-00001$/);

    const updated = await helpdesk.request('PUT', `/api/tickets/${ticketId}`, { token: agent.jwt, body: { data: { ticketStatus: 'open' } } });
    expect(updated.status).toBe(200);
    expect(updated.body.data.ticketStatus).toBe('open');

    const removed = await helpdesk.request('DELETE', `/api/tickets/${ticketId}`, { token: agent.jwt });
    expect(removed.status).toBe(403);
  });

  it('keeps users-permissions sign-in routes as Strapi ships them', async () => {
    const login = await helpdesk.request('POST', '/api/auth/local', { body: { identifier: 'customer@example.test', password: 'wrong' } });
    expect(login.status).toBe(400);
  });

  it('grants permissions idempotently: a second bootstrap changes nothing', async () => {
    const countPermissions = () => helpdesk.strapi.db.query('plugin::users-permissions.permission').count({});
    const countRoles = () => helpdesk.strapi.db.query('plugin::users-permissions.role').count({});
    const before = [await countPermissions(), await countRoles()];
    await ensureAgentRole(helpdesk.strapi);
    await ensureAgentRole(helpdesk.strapi);
    expect([await countPermissions(), await countRoles()]).toEqual(before);

    const role = await helpdesk.strapi.db.query('plugin::users-permissions.role').findOne({
      where: { type: 'agent' },
      populate: ['permissions'],
    });
    expect(role.permissions.map((p: { action: string }) => p.action).sort()).toEqual([...AGENT_PERMISSIONS].sort());
  });
});
