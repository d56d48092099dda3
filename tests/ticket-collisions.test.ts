import { recordLog, startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';
import { TICKET_VERSION_HEADER, type StaleTicketDetails, type TicketViewData } from '../src/plugins/helpdesk/shared/contract';
import { ago } from '../src/plugins/helpdesk/server/src/back-office/ticket-view/version';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const PASSWORD = 'Correct-Horse-9';

interface Answer<T> {
  status: number;
  body: { data: T | null; error?: { status: number; name: string; message: string; details?: StaleTicketDetails } };
}

/**
 * Collisions in the ticket view: every write from the view carries the version it was read at
 * (TICKET_VERSION_HEADER); a write on a ticket changed since is refused with 409 and the words of
 * what changed, and changes nothing. No locks: the writer reads again and decides.
 */
describe('writes from a stale ticket view', () => {
  let helpdesk: Helpdesk;
  let ann: string;
  let bob: string;
  let ticket: string;
  const errorLog: string[] = [];

  const call = async <T = TicketViewData>(token: string, method: string, path: string, body?: unknown, version?: string): Promise<Answer<T>> => {
    const response = await fetch(`${helpdesk.baseUrl}/helpdesk-admin/tickets/${ticket}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(version !== undefined ? { [TICKET_VERSION_HEADER]: version } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
  };
  const signIn = async (email: string) => {
    const login = await helpdesk.request<{ data: { token: string } }>('POST', '/admin/login', { body: { email, password: PASSWORD } });
    return login.body.data.token;
  };

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' }, beforeLoad: recordLog('error', errorLog) });
    await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' });
    await createStaffMember(helpdesk.strapi, { email: 'bob@example.test', password: PASSWORD, name: 'Bob Builder' });
    [ann, bob] = [await signIn('ann@example.test'), await signIn('bob@example.test')];
    ticket = (await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Router blinks red', email: 'rita@customer.test', firstName: 'Rita' } })).documentId;
  });
  afterAll(() => helpdesk?.stop());

  it("refuses Ann's reply on the version she read once Bob resolved the ticket: 409 in words, nothing written", async () => {
    const annView = (await call(ann, 'GET', '')).body.data!;
    const bobView = (await call(bob, 'GET', '')).body.data!;
    expect(annView.version).toMatch(/^\d+$/);
    expect(bobView.version).toBe(annView.version);

    const resolved = await call(bob, 'POST', '/replies', { body: 'Replaced the router; all green now.', ticketStatus: 'resolved' }, bobView.version);
    expect(resolved.status).toBe(201);
    expect(resolved.body.data!.version).not.toBe(annView.version);

    const comments = await helpdesk.strapi.db.query(COMMENT).count({});
    const stale = await call(ann, 'POST', '/replies', { body: 'I am looking into it.', ticketStatus: 'pending' }, annView.version);
    expect(stale.status).toBe(409);
    expect(stale.body.data).toBeNull();
    expect(stale.body.error).toMatchObject({ status: 409, name: 'ConflictError', details: { reason: 'stale', version: resolved.body.data!.version, latest: 'Bob Builder changed status from New to Resolved' } });
    expect(stale.body.error!.details!.changes).toBeGreaterThanOrEqual(2);
    expect(stale.body.error!.message).toMatch(/^Bob Builder changed status from New to Resolved just now \(and \d+ more changes?\), after you opened this ticket\. Nothing was saved/);
    // nothing written: no comment, status as Bob left it
    expect(await helpdesk.strapi.db.query(COMMENT).count({})).toBe(comments);
    expect(((await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticket } })) as { ticketStatus: string }).ticketStatus).toBe('resolved');

    // a plain "Send" on the same stale version is refused too (the customer never gets it)
    expect((await call(ann, 'POST', '/replies', { body: 'I am looking into it.' }, annView.version)).status).toBe(409);
    // every kind of write from the view checks it
    expect((await call(ann, 'POST', '/status', { ticketStatus: 'closed' }, annView.version)).status).toBe(409);
    expect((await call(ann, 'POST', '/assign', { agent: 'me' }, annView.version)).status).toBe(409);
    expect((await call(ann, 'PUT', '', { priority: 'urgent' }, annView.version)).status).toBe(409);
    // an expected answer, not a server error: nothing in the error log
    expect(errorLog.filter((line) => /Conflict|changed since|after you opened/.test(line))).toEqual([]);
  });

  it('lets the write through on the version read again, and writes without a version as before (the REST API, scripts)', async () => {
    const fresh = (await call(ann, 'GET', '')).body.data!;
    const reopened = await call(ann, 'POST', '/replies', { body: 'Is it still green today?', ticketStatus: 'reopened' }, fresh.version);
    expect(reopened.status).toBe(201);
    expect(reopened.body.data!.ticket.status).toBe('reopened');
    // her own change moves her version on: the next write on it goes through
    expect((await call(ann, 'PUT', '', { priority: 'high' }, reopened.body.data!.version)).status).toBe(200);
    expect((await call(bob, 'PUT', '', { priority: 'low' })).status).toBe(200);
  });

  it('answers 400 for a version that is not one', async () => {
    const bad = await call(ann, 'PUT', '', { priority: 'urgent' }, 'yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ name: 'ValidationError', message: expect.stringContaining(`${TICKET_VERSION_HEADER} must be the version`) });
  });

  it('says how long ago in words', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const before = (seconds: number) => new Date(now.getTime() - seconds * 1000);
    expect([10, 60, 150, 3600, 7200, 86_400 * 3].map((seconds) => ago(before(seconds), now))).toEqual(['just now', '1 minute ago', '3 minutes ago', '1 hour ago', '2 hours ago', '3 days ago']);
  });
});
