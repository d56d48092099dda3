import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { createStaffMember } from '../../src/plugins/helpdesk/server/src/access/staff-account';
import { SERVER_STAMPED_TICKET_FIELDS } from '../../src/plugins/helpdesk/server/src/domain/server-owned';

const TICKET = 'plugin::helpdesk.ticket';
const CM = `/content-manager/collection-types/${TICKET}`;
const PASSWORD = 'Support-Pass-7';
const FORGED = { firstResponseAt: '2020-01-01T00:00:00.000Z', resolvedAt: '2019-01-01T00:00:00.000Z' };

/**
 * Issue 16, finding 7: a Support agent set firstResponseAt and resolvedAt in the Content Manager
 * (REST refused them) and statistics showed an average resolution of -60,764 hours. What the
 * server stamps is now refused from every request, whatever the admin role.
 */
describe('server-owned ticket fields from the admin panel', () => {
  let helpdesk: Helpdesk;
  let root: { id: number; token: string };
  let supportToken: string;

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    root = await helpdesk.admin('root@example.test');
    await createStaffMember(helpdesk.strapi, { email: 'sam@example.test', password: PASSWORD, name: 'Sam Support' });
    const login = await helpdesk.request('POST', '/admin/login', { body: { email: 'sam@example.test', password: PASSWORD } });
    supportToken = login.body.data.token;
  });
  afterAll(() => helpdesk?.stop());

  const newTicket = (subject: string) =>
    helpdesk.strapi.documents(TICKET).create({ data: { subject, email: 'gina@example.test', firstName: 'Gina', lastName: 'Green' } });
  const stored = (id: number | string) => helpdesk.strapi.db.query(TICKET).findOne({ where: { id } });

  it('a Support agent cannot set firstResponseAt or resolvedAt: the role has no right to them, nothing changes', async () => {
    const ticket = await newTicket('Forge the statistics as an agent');
    const before = await stored(ticket.id);
    for (const [field, value] of Object.entries(FORGED)) {
      // the Content Manager drops fields a role may not write before anything is saved
      const answer = await helpdesk.request('PUT', `${CM}/${ticket.documentId}`, { token: supportToken, body: { [field]: value } });
      expect([field, answer.status]).toEqual([field, 200]);
    }
    const after = await stored(ticket.id);
    expect([after.firstResponseAt, after.resolvedAt]).toEqual([before.firstResponseAt, before.resolvedAt]);
  });

  it('a super admin cannot either: the ticket hook refuses it with the field named, nothing changed', async () => {
    const ticket = await newTicket('Forge the statistics as root');
    const before = await stored(ticket.id);
    for (const [field, value] of Object.entries(FORGED)) {
      const answer = await helpdesk.request('PUT', `${CM}/${ticket.documentId}`, { token: root.token, body: { [field]: value } });
      expect([answer.status, answer.body.error?.message]).toEqual([400, `${field} is set by the server and cannot be changed`]);
    }
    const after = await stored(ticket.id);
    expect([after.firstResponseAt, after.resolvedAt, after.updatedAt]).toEqual([before.firstResponseAt, before.resolvedAt, before.updatedAt]);
  });

  it('a create from the Content Manager cannot bring its own stamps', async () => {
    const body = { subject: 'Born resolved', email: 'gina@example.test', ticketStatus: 'new', priority: 'medium', category: 'general', ...FORGED };
    expect((await helpdesk.request('POST', CM, { token: root.token, body })).status).toBe(400);
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'Born resolved' } })).toBe(0);
    const asAgent = await helpdesk.request('POST', CM, { token: supportToken, body });
    expect(asAgent.status).toBe(201);
    const created = await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'Born resolved' } });
    expect([created.firstResponseAt, created.resolvedAt]).toEqual([null, null]);
  });

  it('the Content Manager save that sends every stored field back unchanged still works', async () => {
    const ticket = await newTicket('Ordinary edit');
    const form = await helpdesk.request('GET', `${CM}/${ticket.documentId}`, { token: root.token });
    expect(form.status).toBe(200);
    const { id: _id, documentId: _documentId, createdAt: _c, updatedAt: _u, createdBy: _cb, updatedBy: _ub, ...fields } = form.body.data;
    const stamps = Object.fromEntries(SERVER_STAMPED_TICKET_FIELDS.map((field) => [field, fields[field]]));
    const answer = await helpdesk.request('PUT', `${CM}/${ticket.documentId}`, { token: root.token, body: { ...stamps, subject: 'Ordinary edit, renamed' } });
    expect([answer.status, answer.body.error?.message]).toEqual([200, undefined]);
    expect((await stored(ticket.id)).subject).toBe('Ordinary edit, renamed');
  });

  it('the Support agent role may read the stamps but has no right to write them', async () => {
    const role = await helpdesk.strapi.db.query('admin::role').findOne({ where: { code: 'helpdesk-support-agent' }, populate: ['permissions'] });
    const fieldsFor = (action: string) =>
      (role.permissions as Array<{ action: string; subject: string; properties: { fields?: string[] } }>).find(
        (permission) => permission.action === action && permission.subject === TICKET
      )?.properties.fields ?? [];
    expect(fieldsFor('plugin::content-manager.explorer.read')).toEqual(expect.arrayContaining(['firstResponseAt', 'resolvedAt']));
    for (const action of ['plugin::content-manager.explorer.update', 'plugin::content-manager.explorer.create']) {
      expect(fieldsFor(action).filter((field) => (SERVER_STAMPED_TICKET_FIELDS as readonly string[]).includes(field))).toEqual([]);
      expect(fieldsFor(action)).toContain('subject');
    }
  });

  it('statistics keep only what the server stamped: a status change still stamps resolvedAt', async () => {
    const ticket = await newTicket('Resolve for real');
    const answer = await helpdesk.request('PUT', `${CM}/${ticket.documentId}`, { token: root.token, body: { ticketStatus: 'resolved' } });
    expect(answer.status).toBe(200);
    const after = await stored(ticket.id);
    expect(new Date(after.resolvedAt).getTime()).toBeGreaterThanOrEqual(new Date(after.createdAt).getTime());
  });
});
