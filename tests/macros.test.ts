import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';
import type { CannedReplyView, MacroView, TicketViewData } from '../src/plugins/helpdesk/shared/contract';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const HISTORY = 'plugin::helpdesk.ticket-history';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const CANNED = 'plugin::helpdesk.canned-reply';
const MACRO = 'plugin::helpdesk.macro';
const TOOL_USE = 'plugin::helpdesk.tool-use';
const PASSWORD = 'Correct-Horse-9';

/**
 * Issue 19, canned replies and macros: ready answers filled in for the ticket (shared, or one's
 * own), and bundles of changes applied all or nothing from the ticket view or the inbox, each use
 * counted and written in the ticket's history, with the same rules and mail as by hand.
 */
describe('canned replies and macros', () => {
  let helpdesk: Helpdesk;
  let ann: string;
  let bob: string;
  let annAgent: number;
  let bobAdmin: number;
  let waitingForLogs: number;

  const newTicket = async (subject: string) =>
    helpdesk.strapi.documents(TICKET).create({ data: { subject, email: 'cy@customer.test', firstName: 'Cy', lastName: 'Chen' } as never });
  const canned = (token: string, documentId: string, q = '') =>
    helpdesk.request<{ data: CannedReplyView[] }>('GET', `/helpdesk-admin/tickets/${documentId}/canned-replies${q ? `?q=${encodeURIComponent(q)}` : ''}`, { token });
  const apply = (token: string, documentId: string, macro: number | string, headers: Record<string, string> = {}) =>
    helpdesk.request<{ data: TicketViewData }>('POST', `/helpdesk-admin/tickets/${documentId}/macros/${macro}`, { token, headers });
  const row = async (id: number | string) => helpdesk.strapi.db.query(TICKET).findOne({ where: { id: Number(id) }, populate: { assignee: true } });

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' } });
    annAgent = (await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' })).agent.id;
    const bobMember = await createStaffMember(helpdesk.strapi, { email: 'bob@example.test', password: PASSWORD, name: 'Bob Builder' });
    bobAdmin = (await helpdesk.strapi.db.query('admin::user').findOne({ where: { email: 'bob@example.test' } })).id;
    expect(bobMember.agent.id).toBeGreaterThan(0);
    const login = async (email: string) => (await helpdesk.request<{ data: { token: string } }>('POST', '/admin/login', { body: { email, password: PASSWORD } })).body.data.token;
    ann = await login('ann@example.test');
    bob = await login('bob@example.test');

    await helpdesk.strapi.db.query(CANNED).create({ data: { title: 'Password reset', body: 'Hi {guest_name},\nuse "Forgot password" on the sign-in page.\n-- {agent_name}, ticket {ticket_number}' } });
    await helpdesk.strapi.db.query(CANNED).create({ data: { title: 'Printer driver', body: 'Install the driver from the intranet.' } });
    await helpdesk.strapi.db.query(CANNED).create({ data: { title: "Bob's sign-off", body: 'Cheers, Bob', personal: true, createdBy: bobAdmin } });
    waitingForLogs = (
      await helpdesk.strapi.db.query(MACRO).create({
        data: { title: 'Ask for logs', replyBody: 'Hi {guest_name}, please send us the logs.', setStatus: 'pending', setPriority: 'high', addTags: ['logs'], assignment: 'applier' },
      })
    ).id;
  });
  afterAll(() => helpdesk?.stop());

  it("lists the shared canned replies and one's own personal ones, filled in for the ticket, searchable", async () => {
    const ticket = await newTicket('Cannot sign in');
    const anns = (await canned(ann, ticket.documentId)).body.data;
    expect(anns.map((reply) => reply.title).sort()).toEqual(['Password reset', 'Printer driver']);
    expect(anns.find((reply) => reply.title === 'Password reset')?.body).toBe(`Hi Cy,\nuse "Forgot password" on the sign-in page.\n-- Ann Agent, ticket ${ticket.ticketNumber}`);
    expect((await canned(bob, ticket.documentId)).body.data.map((reply) => reply.title)).toContain("Bob's sign-off");
    expect((await canned(ann, ticket.documentId, 'sign-in')).body.data.map((reply) => reply.title)).toEqual(['Password reset']);
    expect((await canned(ann, ticket.documentId, 'x'.repeat(101))).status).toBe(400);
    expect((await canned(ann, 'no-such-ticket')).status).toBe(404);
  });

  it("counts a canned reply's use (not a change to the ticket); another's personal one is not found", async () => {
    const ticket = await newTicket('Forgot my password');
    const reset = (await canned(ann, ticket.documentId)).body.data.find((reply) => reply.title === 'Password reset')!;
    const used = await helpdesk.request<{ data: CannedReplyView }>('POST', `/helpdesk-admin/tickets/${ticket.documentId}/canned-replies/${reset.id}/use`, { token: ann });
    expect(used.status).toBe(200);
    expect(used.body.data.body).toContain('Hi Cy,');
    expect(await helpdesk.strapi.db.query(CANNED).findOne({ where: { id: reset.id } })).toMatchObject({ usageCount: 1, lastUsedBy: 'Ann Agent' });
    // and logged: who, which ticket, when (written by the server only)
    expect(await helpdesk.strapi.db.query(TOOL_USE).findMany({ where: { ticketDocumentId: ticket.documentId } })).toEqual([
      expect.objectContaining({ tool: 'canned_reply', toolId: reset.id, toolTitle: 'Password reset', usedBy: 'Ann Agent', ticketNumber: ticket.ticketNumber }),
    ]);
    await expect(helpdesk.strapi.documents(TOOL_USE as never).create({ data: { tool: 'macro', toolId: 1 } } as never)).rejects.toThrow(/written by the server/);
    // inserting changes nothing on the ticket: its history (and so its version) stays as it was
    expect(await helpdesk.strapi.db.query(HISTORY).count({ where: { ticket: { id: ticket.id }, actorName: 'Ann Agent' } })).toBe(0);

    const bobs = (await helpdesk.strapi.db.query(CANNED).findOne({ where: { title: "Bob's sign-off" } })).id;
    expect((await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket.documentId}/canned-replies/${bobs}/use`, { token: ann })).status).toBe(404);
    expect((await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket.documentId}/canned-replies/abc/use`, { token: ann })).status).toBe(400);
  });

  it('applies a macro all at once: reply with its status in one mail, priority, tags, the applier as assignee; history and count', async () => {
    const ticket = await newTicket('App crashes on start');
    const macros = (await helpdesk.request<{ data: MacroView[] }>('GET', '/helpdesk-admin/macros', { token: ann })).body.data;
    expect(macros.find((macro) => macro.id === waitingForLogs)).toEqual({
      id: waitingForLogs,
      title: 'Ask for logs',
      actions: ['Replies to the customer', 'Status: Pending', 'Priority: High', 'Tags: + logs', 'Assigns to whoever applies it'],
      mailsCustomer: true,
    });

    const answer = await apply(ann, ticket.documentId, waitingForLogs);
    expect(answer.status).toBe(200);
    expect(answer.body.data.ticket).toMatchObject({ status: 'pending', priority: 'high', tags: ['logs'] });
    const stored = await row(ticket.id);
    expect(stored).toMatchObject({ ticketStatus: 'pending', priority: 'high', tags: ['logs'] });
    expect(stored.assignee.id).toBe(annAgent);
    const comments = await helpdesk.strapi.db.query(COMMENT).findMany({ where: { ticket: { id: ticket.id } } });
    expect(comments.map((comment: { body: string; isInternal: boolean }) => [comment.body, comment.isInternal])).toEqual([['Hi Cy, please send us the logs.', false]]);
    // one mail to the customer: the reply, telling the status
    const mails = (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticket.id }, to: 'cy@customer.test' } })) as Array<{ templateKey: string; textBody: string }>;
    expect(mails.map((mail) => mail.templateKey).filter((key) => key !== 'ticket_confirmation')).toEqual(['comment_notification']);
    expect(mails.find((mail) => mail.templateKey === 'comment_notification')?.textBody).toContain('Pending');
    expect(await helpdesk.strapi.db.query(HISTORY).count({ where: { ticket: { id: ticket.id }, action: 'macro_applied', newValue: 'Ask for logs' } })).toBe(1);
    expect(await helpdesk.strapi.db.query(MACRO).findOne({ where: { id: waitingForLogs } })).toMatchObject({ usageCount: 1, lastUsedBy: 'Ann Agent' });
    expect(await helpdesk.strapi.db.query(TOOL_USE).findMany({ where: { ticketDocumentId: ticket.documentId } })).toEqual([
      expect.objectContaining({ tool: 'macro', toolId: waitingForLogs, toolTitle: 'Ask for logs', usedBy: 'Ann Agent' }),
    ]);
  });

  it('changes nothing when a step is refused (a move the workflow forbids), or when the view was stale (409)', async () => {
    const ticket = await newTicket('Screen flickers');
    const reopen = (await helpdesk.strapi.db.query(MACRO).create({ data: { title: 'Back to new', setStatus: 'new', setPriority: 'critical', assignment: 'keep' } })).id;
    await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { ticketStatus: 'resolved' } });
    const refused = await apply(ann, ticket.documentId, reopen);
    expect(refused.status).toBe(400);
    expect(await row(ticket.id)).toMatchObject({ ticketStatus: 'resolved', priority: 'medium' });
    expect(await helpdesk.strapi.db.query(MACRO).findOne({ where: { id: reopen } })).toMatchObject({ usageCount: 0 });

    const stale = await apply(ann, ticket.documentId, waitingForLogs, { 'x-helpdesk-ticket-version': '1' });
    expect(stale.status).toBe(409);
    expect(await row(ticket.id)).toMatchObject({ ticketStatus: 'resolved', priority: 'medium' });
    expect((await apply(ann, ticket.documentId, 999_999)).status).toBe(404);
    expect((await apply(ann, ticket.documentId, 'abc')).status).toBe(400);
  });

  it('applies a macro to several tickets from the inbox, reporting each; an unknown macro is a 400', async () => {
    const one = await newTicket('VPN slow');
    const two = await newTicket('VPN very slow');
    const bulk = (body: unknown) => helpdesk.request<{ data: Array<{ documentId: string; ok: boolean; error?: string }> }>('POST', '/helpdesk-admin/tickets/bulk', { token: bob, body });
    const result = await bulk({ documentIds: [one.documentId, two.documentId, 'gone'], action: 'macro', macro: waitingForLogs });
    expect(result.status).toBe(200);
    expect(result.body.data.map((entry) => entry.ok)).toEqual([true, true, false]);
    for (const ticket of [one, two]) expect(await row(ticket.id)).toMatchObject({ ticketStatus: 'pending', priority: 'high' });
    expect((await bulk({ documentIds: [one.documentId], action: 'macro', macro: 424242 })).status).toBe(400);
    expect((await bulk({ documentIds: [one.documentId], action: 'macro' })).status).toBe(400);
  });
});
