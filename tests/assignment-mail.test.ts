import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';

const TICKET = 'plugin::helpdesk.ticket';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const PASSWORD = 'Correct-Horse-9';

/**
 * "Assigned to you" goes to an agent someone else gave a ticket to, never for their own action
 * (issue 19: "Assign to me", a bulk "Me", a ticket they open for themself), whatever the surface.
 */
describe('assignment mail, not for your own action', () => {
  let helpdesk: Helpdesk;
  let ann: string;
  let bobAgentId: number;

  const assignmentMails = async () =>
    ((await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { templateKey: 'assignment_notification' }, orderBy: { id: 'asc' } })) as Array<{ to: string }>).map((row) => row.to);
  const newTicket = async (subject: string) => (await helpdesk.strapi.documents(TICKET).create({ data: { subject, email: 'cy@customer.test', firstName: 'Cy' } })).documentId;

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' } });
    await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' });
    bobAgentId = (await createStaffMember(helpdesk.strapi, { email: 'bob@example.test', password: PASSWORD, name: 'Bob Builder' })).agent.id;
    ann = (await helpdesk.request<{ data: { token: string } }>('POST', '/admin/login', { body: { email: 'ann@example.test', password: PASSWORD } })).body.data.token;
  });
  afterAll(() => helpdesk?.stop());

  it('mails nobody for "Assign to me" in the ticket view, a bulk "Me" or a ticket opened for oneself; mails Bob when Ann gives him one', async () => {
    const one = await newTicket('Wifi drops in room 4');
    expect((await helpdesk.request('POST', `/helpdesk-admin/tickets/${one}/assign`, { token: ann, body: { agent: 'me' } })).status).toBe(200);

    const two = await newTicket('Beamer shows no picture');
    const three = await newTicket('Keycard not working');
    const bulk = await helpdesk.request<{ data: Array<{ ok: boolean }> }>('POST', '/helpdesk-admin/tickets/bulk', { token: ann, body: { documentIds: [two, three], action: 'assign', agent: 'me' } });
    expect(bulk.status).toBe(200);
    expect(bulk.body.data.every((result) => result.ok)).toBe(true);

    const opened = await helpdesk.request('POST', '/helpdesk-admin/tickets', {
      token: ann,
      body: { data: { subject: 'Called in: printer offline', email: 'cy@customer.test', assignee: (await helpdesk.strapi.db.query('plugin::users-permissions.user').findOne({ where: { email: 'ann@example.test' } })).id } },
    });
    expect(opened.status).toBe(201);
    expect(await assignmentMails()).toEqual([]);

    // someone else's choice is news to the assignee
    expect((await helpdesk.request('POST', `/helpdesk-admin/tickets/${one}/assign`, { token: ann, body: { agent: bobAgentId } })).status).toBe(200);
    expect(await assignmentMails()).toEqual(['bob@example.test']);
  });
});
