import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const HISTORY = 'plugin::helpdesk.ticket-history';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const PASSWORD = 'Correct-Horse-9';

interface PortalTicket {
  documentId: string;
  ticketNumber: string;
  ticketStatus: string;
  [key: string]: unknown;
}

/**
 * Requesters with accounts: a confirmed address sees that contact's tickets and their public
 * conversation, and nothing else, through any route.
 */
describe('requester portal', () => {
  let helpdesk: Helpdesk;
  let mine: { documentId: string; id: number | string }[];
  let theirs: { documentId: string; id: number | string };
  let jwt: string;

  const register = (username: string, email: string) =>
    helpdesk.request('POST', '/api/auth/local/register', { body: { username, email, password: PASSWORD } });
  const login = (identifier: string) => helpdesk.request('POST', '/api/auth/local', { body: { identifier, password: PASSWORD } });
  const sink = new SmtpSink();
  /** The confirmation link from the mail delivered to `email` (the outbox row shows its token masked). */
  const confirmationLink = async (email: string): Promise<string> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const link = sink.messages
        .filter((message) => message.envelopeTo.includes(email))
        .map((message) => /https?:\/\/\S+?\/api\/auth\/email-confirmation\?confirmation=[0-9a-f]+/.exec(message.parsed.text ?? '')?.[0])
        .filter(Boolean)
        .pop();
      if (link) return link;
      if (Date.now() > deadline) throw new Error(`no confirmation link mailed to ${email}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const get = (url: string, token = jwt) => helpdesk.request('GET', url, { token });
  const post = (url: string, body: unknown, token = jwt) => helpdesk.request('POST', url, { token, body });

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { PUBLIC_URL: 'https://help.example.test', PUBLIC_REGISTRATION: 'true', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port) },
    });
    const create = (subject: string, email: string, ticketStatus: 'new' | 'pending' = 'new') =>
      helpdesk.strapi.documents(TICKET).create({ data: { subject, email, ticketStatus } });
    mine = [await create('My printer', 'Carla@Example.test'), await create('My invoice', 'carla@example.test', 'pending')];
    theirs = await create('Somebody else', 'dave@example.test');
    const comment = (ticket: { documentId: string }, body: string, isInternal: boolean) =>
      helpdesk.strapi.documents(COMMENT).create({ data: { ticket: ticket.documentId, body, isInternal, authorType: 'staff', source: 'api' } });
    await comment(mine[0], 'We are on it', false);
    await comment(mine[0], 'INTERNAL: customer is difficult', true);
    await comment(theirs, 'Reply to Dave', false);
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  it('does not let an account registered with somebody else\'s address in before that address confirms it', async () => {
    const registered = await register('mallory', 'dave@example.test');
    expect(registered.status).toBe(200);
    expect(registered.body.jwt).toBeUndefined();
    const attempt = await login('dave@example.test');
    expect(attempt.status).toBe(400);
    expect(attempt.body.error.message).toMatch(/not confirmed/i);
    // the link went to Dave's mailbox, through the outbox, with the public address in it
    expect(await confirmationLink('dave@example.test')).toMatch(/^https:\/\/help\.example\.test\/api\/auth\/email-confirmation\?confirmation=/);
  });

  it('signs in a requester once the mailed link confirmed the address', async () => {
    expect((await register('carla', 'carla@example.test')).status).toBe(200);
    const link = new URL(await confirmationLink('carla@example.test'));
    const confirmed = await fetch(`${helpdesk.baseUrl}${link.pathname}${link.search}`, { redirect: 'manual' });
    expect([200, 301, 302]).toContain(confirmed.status);
    const session = await login('carla@example.test');
    expect(session.status).toBe(200);
    jwt = session.body.jwt;
  });

  it('lists only the requester\'s own tickets, with the fields a requester may see', async () => {
    const list = await get('/api/portal/tickets');
    expect(list.status).toBe(200);
    const tickets = list.body.data as PortalTicket[];
    expect(tickets.map((t) => t.documentId).sort()).toEqual(mine.map((t) => t.documentId).sort());
    expect(list.body.meta.pagination).toMatchObject({ page: 1, total: 2 });
    for (const ticket of tickets) {
      expect(Object.keys(ticket).sort()).toEqual(
        ['closedAt', 'category', 'createdAt', 'description', 'documentId', 'priority', 'resolvedAt', 'subject', 'ticketNumber', 'ticketStatus', 'updatedAt'].sort()
      );
    }
  });

  it('shows an own ticket and its public comments only', async () => {
    const ticket = await get(`/api/portal/tickets/${mine[0].documentId}`);
    expect(ticket.status).toBe(200);
    expect(ticket.body.data.subject).toBe('My printer');
    const comments = await get(`/api/portal/tickets/${mine[0].documentId}/comments`);
    expect(comments.status).toBe(200);
    expect(comments.body.data.map((c: { body: string }) => c.body)).toEqual(['We are on it']);
    expect(JSON.stringify(comments.body)).not.toContain('INTERNAL');
  });

  it('answers 404, the same as for a ticket that does not exist, for somebody else\'s ticket', async () => {
    const missing = await get('/api/portal/tickets/no-such-ticket');
    for (const url of [`/api/portal/tickets/${theirs.documentId}`, `/api/portal/tickets/${theirs.documentId}/comments`]) {
      const response = await get(url);
      expect([url, response.status]).toEqual([url, 404]);
      expect(response.body).toEqual(missing.body);
    }
    const comments = await helpdesk.strapi.db.query(COMMENT).count({});
    const write = await post(`/api/portal/tickets/${theirs.documentId}/comments`, { data: { body: 'Let me in' } });
    expect(write.status).toBe(404);
    expect(await helpdesk.strapi.db.query(COMMENT).count({})).toBe(comments);
  });

  it('adds a public comment as the requester, which puts a pending ticket back to open', async () => {
    const response = await post(`/api/portal/tickets/${mine[1].documentId}/comments`, { data: { body: 'Here is the PDF you asked for' } });
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({ body: 'Here is the PDF you asked for', authorType: 'requester', authorName: 'carla' });
    expect(response.body.data).not.toHaveProperty('isInternal');
    const stored = await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: mine[1].documentId } });
    expect(stored.ticketStatus).toBe('open');
    const history = await helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { id: mine[1].id } }, orderBy: { id: 'asc' } });
    expect(history.map((r: { action: string; actorType: string }) => [r.action, r.actorType])).toEqual([
      ['created', 'system'],
      ['commented', 'requester'],
      ['status_changed', 'requester'],
    ]);
    // the requester's own words are not mailed back to them
    expect(await helpdesk.strapi.db.query(OUTBOX).count({ where: { ticket: { id: mine[1].id }, templateKey: 'comment_notification' } })).toBe(0);
  });

  it('refuses query parameters that could probe other records, and bad comments', async () => {
    for (const query of ['populate=*', 'filters[subject][$contains]=x', 'fields[0]=email', 'pageSize=1000', 'page=abc']) {
      const response = await get(`/api/portal/tickets?${query}`);
      expect([query, response.status]).toEqual([query, 400]);
    }
    for (const body of [{ data: { body: '' } }, { data: { body: 'x'.repeat(50001) } }, { data: { body: 'hi', isInternal: true } }, { body: 'hi' }]) {
      expect((await post(`/api/portal/tickets/${mine[0].documentId}/comments`, body)).status).toBe(400);
    }
  });

  it('gives the requester no other helpdesk route: each is refused (403) or does not exist (404)', async () => {
    const [a] = mine;
    const comment = await helpdesk.strapi.db.query(COMMENT).findOne({ where: { isInternal: true } });
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/tickets'],
      ['GET', `/api/tickets/${a.documentId}`],
      ['GET', `/api/tickets/${a.documentId}?populate=comments`],
      ['POST', '/api/tickets', { data: { subject: 'x' } }],
      ['PUT', `/api/tickets/${a.documentId}`, { data: { subject: 'x' } }],
      ['DELETE', `/api/tickets/${a.documentId}`],
      ['POST', `/api/tickets/${a.documentId}/status`, { data: { ticketStatus: 'closed' } }],
      ['POST', `/api/tickets/${a.documentId}/assign`, { data: { agent: null } }],
      ['POST', `/api/tickets/${a.documentId}/comments`, { data: { body: 'x' } }],
      ['GET', '/api/tickets/statistics'],
      ['GET', '/api/tickets/export.csv'],
      ['GET', '/api/comments'],
      ['GET', `/api/comments/${comment.documentId}`],
      ['POST', '/api/comments', { data: { ticket: a.documentId, body: 'x' } }],
      ['GET', '/api/attachments'],
      ['GET', '/api/ticket-histories'],
      ['GET', '/api/contacts'],
      ['GET', '/api/users'],
      ['GET', '/api/outbound-emails'],
      ['GET', '/api/email-templates'],
    ];
    for (const [method, url, body] of routes) {
      const response = await helpdesk.request(method, url, { token: jwt, body });
      expect([method, url, response.status]).toEqual([method, url, expect.any(Number)]);
      expect([method, url, [403, 404, 405].includes(response.status)]).toEqual([method, url, true]);
      expect(JSON.stringify(response.body ?? '')).not.toContain('INTERNAL');
    }
  });

  it('keeps the portal from the public, from agents and from unconfirmed accounts', async () => {
    const agent = await helpdesk.agent();
    await register('eve', 'eve@example.test');
    const eve = await login('eve@example.test');
    expect(eve.status).toBe(400);
    for (const token of [undefined, agent.jwt]) {
      const response = await helpdesk.request('GET', '/api/portal/tickets', { token });
      expect(response.status).toBe(403);
    }
  });
});
