import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';
import { findMentions } from '../src/plugins/helpdesk/server/src/notifications/mentions';
import type { NotificationsAnswer } from '../src/plugins/helpdesk/shared/contract';
import { getService } from '../src/plugins/helpdesk/server/src/get-service';

const TICKET = 'plugin::helpdesk.ticket';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const NOTIFICATION = 'plugin::helpdesk.notification';
const PASSWORD = 'Correct-Horse-9';
const TEAM = 'team@helpdesk.test';

interface OutboxRow {
  to: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  templateKey: string;
  nextAttemptAt: string | null;
}

/**
 * Issue 19, notifications: the assignee (the team address when unassigned) is told when a customer
 * replies, a ticket is reopened, an SLA target is about to pass or they are @mentioned in an
 * internal note; under the panel's bell and by mail as they prefer; never of their own action.
 */
describe('notifications', () => {
  let helpdesk: Helpdesk;
  let ann: string;
  let bob: string;
  let bobAgent: { id: number };
  const BOB = 'bob@example.test';
  let annAgent: { id: number };
  let customer: string;

  const mails = async (templateKey: string) =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { templateKey }, orderBy: { id: 'asc' } })) as OutboxRow[];
  const bell = async (token: string) => (await helpdesk.request<NotificationsAnswer>('GET', '/helpdesk-admin/notifications', { token })).body;
  const ticketFor = async (subject: string, assignee: number | null = null) =>
    helpdesk.strapi.documents(TICKET).create({ data: { subject, email: 'cyrus@customer.test', firstName: 'Cy', lastName: 'Customer', assignee } as never });
  const customerReply = async (documentId: string, body: string) => {
    const response = await helpdesk.request('POST', `/api/portal/tickets/${documentId}/comments`, { token: customer, body: { data: { body } } });
    expect(response.status).toBe(201);
  };
  const setMail = (token: string, mail: string) => helpdesk.request('PUT', '/helpdesk-admin/notifications/preferences', { token, body: { mail } });

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false', TEAM_NOTIFICATION_DIGEST_MS: String(10 * 60_000) } });
    annAgent = (await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' })).agent;
    bobAgent = (await createStaffMember(helpdesk.strapi, { email: 'bob@example.test', password: PASSWORD, name: 'Bob Builder' })).agent;
    const login = async (email: string) => (await helpdesk.request<{ data: { token: string } }>('POST', '/admin/login', { body: { email, password: PASSWORD } })).body.data.token;
    ann = await login('ann@example.test');
    bob = await login('bob@example.test');
    customer = (await helpdesk.customer('cyrus@customer.test')).jwt;
    await getService(helpdesk.strapi, 'settings').save({ supportAddress: TEAM });
  });
  afterAll(() => helpdesk?.stop());

  it("tells the assignee of a customer's reply under the bell and by mail, with a link to the ticket view; nobody else", async () => {
    const ticket = await ticketFor('Printer jams on floor 3', bobAgent.id);
    await customerReply(ticket.documentId, 'It still jams.\nSee the photo.');

    const bobs = await bell(bob);
    expect(bobs.meta).toEqual({ unread: 1, mail: 'digest', isAgent: true });
    expect(bobs.data).toEqual([
      expect.objectContaining({ kind: 'customer_reply', text: 'Cy Customer replied: "It still jams. See the photo."', read: false, ticket: { documentId: ticket.documentId, ticketNumber: ticket.ticketNumber } }),
    ]);
    expect((await bell(ann)).meta.unread).toBe(0);

    const [mail, ...more] = await mails('agent_notification');
    expect(more).toEqual([]);
    expect(mail.to).toBe(BOB);
    expect(mail.subject).toBe(`[${ticket.ticketNumber}] Cy Customer replied: "It still jams. See the photo."`);
    const link = `/admin/helpdesk/tickets/${ticket.documentId}`;
    expect(mail.textBody).toContain(link);
    expect(mail.htmlBody).toContain(`href="http://`);
    expect(mail.htmlBody).toContain(link);
  });

  it("gathers a burst's later notifications into one digest mail, due when the window ends", async () => {
    const ticket = await ticketFor('VPN drops', bobAgent.id);
    await customerReply(ticket.documentId, 'Dropped again at 10:02');
    await customerReply(ticket.documentId, 'And at 10:17');

    // the burst's first went at once (previous test); these two wait for one digest
    expect(await mails('agent_notification')).toHaveLength(1);
    const digests = await mails('agent_notifications_digest');
    expect(digests).toHaveLength(1);
    expect(digests[0].to).toBe(BOB);
    expect(new Date(digests[0].nextAttemptAt as string).getTime()).toBeGreaterThan(Date.now());
    expect(digests[0].subject).toBe('2 more helpdesk notifications');
    expect(digests[0].textBody).toContain('Cy Customer replied: "Dropped again at 10:02"');
    expect(digests[0].textBody).toContain('Cy Customer replied: "And at 10:17"');
    expect(digests[0].textBody).toContain(`/admin/helpdesk/tickets/${ticket.documentId}`);
    expect((await bell(bob)).meta.unread).toBe(3);
  });

  it("mails each notification, or none, as the agent chose; the bell has them all", async () => {
    const ticket = await ticketFor('Keycard broken', bobAgent.id);
    expect((await setMail(bob, 'each')).status).toBe(200);
    await customerReply(ticket.documentId, 'Door 4 this time');
    expect((await mails('agent_notification')).map((mail) => mail.subject)).toContain(`[${ticket.ticketNumber}] Cy Customer replied: "Door 4 this time"`);

    expect((await setMail(bob, 'off')).status).toBe(200);
    const before = (await mails('agent_notification')).length + (await mails('agent_notifications_digest')).length;
    await customerReply(ticket.documentId, 'Door 5 too');
    expect((await mails('agent_notification')).length + (await mails('agent_notifications_digest')).length).toBe(before);
    expect((await bell(bob)).data[0]).toMatchObject({ text: 'Cy Customer replied: "Door 5 too"', read: false });
    expect((await bell(bob)).meta.mail).toBe('off');
    expect((await setMail(bob, 'each')).status).toBe(200);
  });

  it('tells of a reopening once: a customer reply that reopens is one notification; a colleague reopening is one; your own is none', async () => {
    const ticket = await ticketFor('Invoice wrong', bobAgent.id);
    const status = (token: string, ticketStatus: string) => helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket.documentId}/status`, { token, body: { ticketStatus } });
    expect((await status(bob, 'resolved')).status).toBe(200);
    const count = async () => helpdesk.strapi.db.query(NOTIFICATION).count({ where: { recipientId: bobAgent.id, ticketId: ticket.id } });

    await customerReply(ticket.documentId, 'Still wrong');
    expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: ticket.id } })).ticketStatus).toBe('reopened');
    expect(await count()).toBe(1);
    expect((await bell(bob)).data[0].text).toBe('Cy Customer replied and reopened the ticket: "Still wrong"');

    expect((await status(bob, 'resolved')).status).toBe(200);
    expect((await status(ann, 'reopened')).status).toBe(200);
    expect(await count()).toBe(2);
    expect((await bell(bob)).data[0]).toMatchObject({ kind: 'reopened', text: 'Ann Agent reopened the ticket' });

    expect((await status(bob, 'resolved')).status).toBe(200);
    expect((await status(bob, 'reopened')).status).toBe(200);
    expect(await count()).toBe(2);
  });

  it('tells the agents an internal note @mentions, not its writer, not an address', async () => {
    const ticket = await ticketFor('Server room too warm', null);
    const note = (token: string, body: string) => helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket.documentId}/replies`, { token, body: { body, isInternal: true } });
    expect((await note(ann, '@Bob Builder can you check the AC? Mail facilities@bob builder.test. Thanks, @Ann Agent')).status).toBe(201);
    const mentions = await helpdesk.strapi.db.query(NOTIFICATION).findMany({ where: { ticketId: ticket.id } });
    expect(mentions.map((row: { recipientId: number; kind: string }) => [row.recipientId, row.kind])).toEqual([[bobAgent.id, 'mention']]);
    expect((await bell(bob)).data[0].text).toBe('Ann Agent mentioned you: "@Bob Builder can you check the AC? Mail facilities@bob builder.test. Thanks, @Ann Agent"');
    expect(await helpdesk.strapi.db.query(NOTIFICATION).count({ where: { recipientId: annAgent.id } })).toBe(0);

    // a public reply mentions nobody: the customer reads it
    expect((await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket.documentId}/replies`, { token: ann, body: { body: 'Thanks @Bob Builder' } })).status).toBe(201);
    expect(await helpdesk.strapi.db.query(NOTIFICATION).count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it('finds mentions by whole names, longest first, once each', () => {
    const agents = [
      { id: 1, username: 'Sam' },
      { id: 2, username: 'Sam Support' },
      { id: 3, username: 'Ann' },
    ];
    expect(findMentions('@sam support, look', agents).map((a) => a.id)).toEqual([2]);
    expect(findMentions('@Sam. And @Ann!', agents).map((a) => a.id)).toEqual([1, 3]);
    expect(findMentions('@Samantha, mail ann@example.com', agents)).toEqual([]);
    expect(findMentions('@Ann @ann', agents).map((a) => a.id)).toEqual([3]);
  });

  it("mails the team address when an unassigned ticket's customer replies; no bell has it", async () => {
    const ticket = await ticketFor('Nobody owns me');
    const before = await bell(bob);
    await customerReply(ticket.documentId, 'Hello?');
    const teamMails = (await mails('agent_notification')).filter((mail) => mail.to === TEAM);
    expect(teamMails.map((mail) => mail.subject)).toEqual([`[${ticket.ticketNumber}] Cy Customer replied: "Hello?"`]);
    expect(teamMails[0].textBody).toContain(`/admin/helpdesk/tickets/${ticket.documentId}`);
    expect((await bell(bob)).meta.unread).toBe(before.meta.unread);
  });

  it('warns of an SLA target about to pass once per target and due time, however often and wherever the reminder runs', async () => {
    const notifications = getService(helpdesk.strapi, 'notifications');
    const now = new Date();
    const ticket = await ticketFor('Payroll export fails', bobAgent.id);
    await helpdesk.strapi.db.query(TICKET).update({
      where: { id: ticket.id },
      data: { firstResponseDueAt: new Date(now.getTime() + 25 * 60_000), dueDate: new Date(now.getTime() + 5 * 3_600_000) },
    });
    const warned = async () =>
      (await helpdesk.strapi.db.query(NOTIFICATION).findMany({ where: { ticketId: ticket.id, kind: 'sla_warning' } })) as Array<{ text: string }>;

    // two instances' runs at once, then a later one: the first reply (due in 25 min, lead time 60) is warned of once
    await Promise.all([notifications.warnOfDueTargets(now), notifications.warnOfDueTargets(now)]);
    await notifications.warnOfDueTargets(new Date(now.getTime() + 60_000));
    expect((await warned()).map((row) => row.text)).toEqual([expect.stringMatching(/^First reply due in 25 min \(\d\d:\d\d UTC\)$/)]);

    // a moved due date is a new target; a finished ticket is not warned of
    await helpdesk.strapi.db.query(TICKET).update({ where: { id: ticket.id }, data: { firstResponseDueAt: new Date(now.getTime() + 40 * 60_000) } });
    await notifications.warnOfDueTargets(now);
    expect(await warned()).toHaveLength(2);
    await helpdesk.strapi.db.query(TICKET).update({ where: { id: ticket.id }, data: { ticketStatus: 'resolved', firstResponseDueAt: new Date(now.getTime() + 50 * 60_000) } });
    await notifications.warnOfDueTargets(now);
    expect(await warned()).toHaveLength(2);
  });

  it("marks one's own notifications read, by ticket, id or all, never another agent's; refuses bad input with 400", async () => {
    const ticket = await ticketFor('Screen flickers', bobAgent.id);
    await customerReply(ticket.documentId, 'Flicker flicker');
    const read = (token: string, body: unknown) => helpdesk.request<{ data: { marked: number } }>('POST', '/helpdesk-admin/notifications/read', { token, body });

    const bobsIds = (await bell(bob)).data.map((row) => row.id);
    expect((await read(ann, { ids: bobsIds })).body.data.marked).toBe(0);
    expect((await read(bob, { ticket: ticket.documentId })).body.data.marked).toBe(1);
    expect((await bell(bob)).data.find((row) => row.ticket.documentId === ticket.documentId)?.read).toBe(true);
    expect((await read(bob, { all: true })).status).toBe(200);
    expect((await bell(bob)).meta.unread).toBe(0);

    for (const body of [{}, { ids: [] }, { ids: ['x'] }, { all: false }, { ticket: 'a', all: true }]) {
      const response = await read(bob, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { status: 400, name: 'ValidationError' } });
    }
    expect((await setMail(bob, 'sometimes')).status).toBe(400);
  });
});
