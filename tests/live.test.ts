import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { openLiveStream, type LiveStream } from './support/live-stream';

const TICKET = 'plugin::helpdesk.ticket';

const guest = (subject: string) => ({
  data: {
    firstName: 'Lina',
    lastName: 'Live',
    email: 'lina.live@example.test',
    phone: '+49 30 1234567',
    company: 'Example GmbH',
    subject,
    description: 'Something changed and the panel should know at once.',
  },
});

/**
 * The live feed (GET /helpdesk-admin/live): every committed change to a ticket or to what hangs on
 * it, whatever its origin, as server-sent events to signed-in admins who work tickets; nothing for
 * a change that rolled back. On SQLite through the in-process bus, on PostgreSQL through
 * LISTEN/NOTIFY (live-instances.test.ts: two processes).
 */
describe('the live feed of ticket changes', () => {
  let helpdesk: Helpdesk;
  let feed: LiveStream;
  let ticket: string;

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' } });
    feed = await openLiveStream(helpdesk.baseUrl, (await helpdesk.admin('lead@example.test')).token);
  });
  afterAll(async () => {
    feed?.close();
    await helpdesk?.stop();
  });

  it('is open only to signed-in admins who may work tickets', async () => {
    expect(feed.status).toBe(200);
    const anonymous = await openLiveStream(helpdesk.baseUrl, null);
    expect(anonymous.status).toBe(401);

    // an Author (a CMS role without the helpdesk's "Work tickets") is refused
    const author = (await helpdesk.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-author' } })) as { id: number };
    await helpdesk.strapi.service('admin::user').create({ email: 'author@example.test', firstname: 'Art', lastname: 'Author', password: 'Correct-Horse-9', isActive: true, roles: [author.id] });
    const login = await helpdesk.request<{ data: { token: string } }>('POST', '/admin/login', { body: { email: 'author@example.test', password: 'Correct-Horse-9' } });
    const refused = await openLiveStream(helpdesk.baseUrl, login.body.data.token);
    expect(refused.status).toBe(403);
  });

  it('announces a guest ticket from the public endpoint as created', async () => {
    const response = await helpdesk.submitGuest(guest('Live: a guest ticket'));
    expect(response.status).toBe(201);
    const created = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'Live: a guest ticket' } })) as { documentId: string };
    ticket = created.documentId;
    expect(await feed.next((change) => change.ticket === ticket)).toMatchObject({ ticket, kind: 'created', at: expect.any(String) });
  });

  it('announces an agent comment over REST and a status change in the panel as updates of the ticket', async () => {
    const agent = await helpdesk.agent('ann.agent@example.test');
    const before = feed.changes.length;
    const comment = await helpdesk.request('POST', `/api/tickets/${ticket}/comments`, { token: agent.jwt, body: { data: { body: 'Looking into it.' } } });
    expect(comment.status).toBe(201);
    await feed.next((change) => feed.changes.indexOf(change) >= before && change.ticket === ticket && change.kind === 'updated');

    const admin = await helpdesk.admin('bob@example.test');
    const seen = feed.changes.length;
    const status = await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket}/status`, { token: admin.token, body: { ticketStatus: 'pending' } });
    expect(status.status).toBe(200);
    await feed.next((change) => feed.changes.indexOf(change) >= seen && change.ticket === ticket && change.kind === 'updated');
  });

  it('tells who has a ticket open and who is typing, without storing it; refuses a bad state (400) and an unknown ticket (404)', async () => {
    const bob = await helpdesk.admin('bob.presence@example.test');
    const say = (state: unknown, documentId = ticket) =>
      helpdesk.request('POST', `/helpdesk-admin/tickets/${documentId}/presence`, { token: bob.token, body: { state } });
    expect((await say('viewing')).status).toBe(204);
    expect((await say('typing')).status).toBe(204);
    expect((await say('left')).status).toBe(204);
    const deadline = Date.now() + 10_000;
    while (feed.presences.filter((presence) => presence.ticket === ticket).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(feed.presences.filter((presence) => presence.ticket === ticket).map(({ admin, state }) => ({ name: admin.name, id: admin.id, state }))).toEqual(
      ['viewing', 'typing', 'left'].map((state) => ({ name: 'Ada Admin', id: bob.id, state }))
    );

    const bad = await say('sleeping');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ name: 'ValidationError' });
    expect((await say('viewing', 'no-such-ticket')).status).toBe(404);
    expect((await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket}/presence`, { body: { state: 'viewing' } })).status).toBe(401);
  });

  it('says nothing of a change that rolled back, and announces a delete', async () => {
    let undone: string | null = null;
    await expect(
      helpdesk.strapi.db.transaction(async () => {
        const draft = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Live: rolled back', description: 'never committed', email: 'x@example.test' } as never });
        undone = draft.documentId;
        throw new Error('roll back');
      })
    ).rejects.toThrow('roll back');
    expect(undone).not.toBeNull();

    await helpdesk.strapi.documents(TICKET).delete({ documentId: ticket });
    await feed.next((change) => change.ticket === ticket && change.kind === 'deleted');
    // the delete was committed after the rollback: had the rolled-back create been sent, it would be here by now
    expect(feed.changes.filter((change) => change.ticket === undone)).toEqual([]);
  });
});
