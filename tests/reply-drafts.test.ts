import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';
import type { ReplyDraftView } from '../src/plugins/helpdesk/shared/contract';

const TICKET = 'plugin::helpdesk.ticket';
const DRAFT = 'plugin::helpdesk.reply-draft';
const PASSWORD = 'Correct-Horse-9';

/**
 * Reply drafts (issue 19, item 4): what an admin is writing on a ticket is kept on the server for
 * that admin only, until it is sent or emptied.
 */
describe('reply drafts', () => {
  let helpdesk: Helpdesk;
  let ann: string;
  let bob: string;
  let ticket: string;

  const signIn = async (email: string) =>
    (await helpdesk.request<{ data: { token: string } }>('POST', '/admin/login', { body: { email, password: PASSWORD } })).body.data.token;
  const draft = (token: string | undefined, method: string, body?: unknown, documentId = ticket) =>
    helpdesk.request<{ data: ReplyDraftView | null }>(method, `/helpdesk-admin/tickets/${documentId}/draft`, { token, body });

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' } });
    await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' });
    await createStaffMember(helpdesk.strapi, { email: 'bob@example.test', password: PASSWORD, name: 'Bob Builder' });
    [ann, bob] = [await signIn('ann@example.test'), await signIn('bob@example.test')];
    ticket = (await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Headset crackles', email: 'hal@customer.test', firstName: 'Hal' } })).documentId;
  });
  afterAll(() => helpdesk?.stop());

  it("keeps Ann's draft for Ann only, replaces it as she types, and removes it when she empties it", async () => {
    expect((await draft(ann, 'GET')).body).toEqual({ data: null });
    const saved = await draft(ann, 'PUT', { body: 'Could you try the other USB port', isInternal: false });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toEqual({ body: 'Could you try the other USB port', isInternal: false, savedAt: expect.any(String) });
    await draft(ann, 'PUT', { body: 'Could you try the other USB port, please?', isInternal: true });
    expect((await draft(ann, 'GET')).body.data).toMatchObject({ body: 'Could you try the other USB port, please?', isInternal: true });
    expect(await helpdesk.strapi.db.query(DRAFT).count({})).toBe(1);

    // Bob has none, and cannot see or remove Ann's
    expect((await draft(bob, 'GET')).body.data).toBeNull();
    expect((await draft(bob, 'DELETE')).status).toBe(204);
    expect((await draft(ann, 'GET')).body.data).toMatchObject({ body: 'Could you try the other USB port, please?' });

    expect((await draft(ann, 'PUT', { body: '  ', isInternal: false })).body).toEqual({ data: null });
    expect(await helpdesk.strapi.db.query(DRAFT).count({})).toBe(0);
  });

  it('is removed when the reply is sent', async () => {
    await draft(ann, 'PUT', { body: 'Replaced the headset cable.', isInternal: false });
    const sent = await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket}/replies`, { token: ann, body: { body: 'Replaced the headset cable.' } });
    expect(sent.status).toBe(201);
    expect((await draft(ann, 'GET')).body.data).toBeNull();
  });

  it('refuses bad input with 400, an unknown ticket with 404 and no session with 401, storing nothing', async () => {
    const notText = await draft(ann, 'PUT', { body: 42, isInternal: false });
    expect(notText.status).toBe(400);
    expect((await draft(ann, 'PUT', { body: 'x', isInternal: false, adminUserId: 7 })).status).toBe(400);
    expect((await draft(ann, 'PUT', { body: 'x'.repeat(50_001), isInternal: false })).status).toBe(400);
    expect((await draft(ann, 'PUT', { body: 'x', isInternal: false }, 'no-such-ticket')).status).toBe(404);
    expect((await draft(undefined, 'PUT', { body: 'x', isInternal: false })).status).toBe(401);
    expect(await helpdesk.strapi.db.query(DRAFT).count({})).toBe(0);
  });
});
