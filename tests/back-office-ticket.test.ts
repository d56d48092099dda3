import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';
import { SmtpSink } from './support/smtp-sink';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const TICKET = 'plugin::helpdesk.ticket';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const PASSWORD = 'Correct-Horse-9';

interface MailRow {
  to: string;
  templateKey: string;
  messageId: string;
}

/**
 * A support agent's day in the admin panel, in Chromium: one person made by `createStaffMember`
 * (Support agent admin role + Agent account) signs in, finds the ticket from the inbox, reads it,
 * replies (mailed, threaded), adds a note (not mailed), resolves with a reply, takes it, edits it,
 * and cannot delete it in the Content Manager.
 */
describe('back office: the ticket view in the browser', () => {
  let helpdesk: Helpdesk;
  let panel: Panel;
  const sink = new SmtpSink();

  const mails = async (ticketId: number | string) =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticketId } }, orderBy: { id: 'asc' } })) as MailRow[];

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', CRON_ENABLED: 'false' },
    });
    // one staff identity: what `npm run agent:create` makes (the Support agent role, not a super admin)
    await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' });
    panel = await openPanel(helpdesk.baseUrl);
  });
  afterAll(async () => {
    await panel?.close();
    await helpdesk?.stop();
    await sink.stop();
  });

  it('reads the conversation, replies (mailed, threaded), adds a note (not mailed), resolves with a reply and takes the ticket', async () => {
    const { page } = panel;
    const customer = await helpdesk.customer('gina@example.test');
    await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Old invoice', email: 'gina@example.test', firstName: 'Gina', lastName: 'Gray' } });
    const ticket = await helpdesk.strapi.documents(TICKET).create({
      data: {
        subject: 'Printer jams on every page',
        description: 'Since Monday the office printer jams on every page.',
        email: 'gina@example.test',
        firstName: 'Gina',
        lastName: 'Gray',
        company: 'Gray Ltd',
        priority: 'high',
        tags: ['printer'],
      },
    });
    const portal = await helpdesk.request('POST', `/api/portal/tickets/${ticket.documentId}/comments`, {
      token: customer.jwt,
      body: { data: { body: 'It is a LaserJet 4000, if that helps.' } },
    });
    expect(portal.status).toBe(201);

    await panel.signIn('ann@example.test', PASSWORD);
    // the home page widgets count what the statistics endpoint counts, for the same person's REST sign-in
    const rest = await helpdesk.request('POST', '/api/auth/local', { body: { identifier: 'ann@example.test', password: PASSWORD } });
    expect(rest.status).toBe(200);
    const openFilter = 'filters[ticketStatus][$notIn][0]=resolved&filters[ticketStatus][$notIn][1]=closed';
    const stats = (await helpdesk.request('GET', `/api/tickets/statistics?${openFilter}`, { token: rest.body.jwt })).body.data;
    const widgetCount = async (testId: string) => Number(await page.getByTestId(testId).getAttribute('data-count'));
    await page.getByTestId('helpdesk-widget-open-count').waitFor();
    expect(stats.total).toBe(2);
    expect(await widgetCount('helpdesk-widget-open-count')).toBe(stats.total);
    expect(await widgetCount('helpdesk-widget-overdue-count')).toBe(stats.overdue);
    expect(await widgetCount('helpdesk-widget-unassigned-count')).toBe(stats.unassigned);
    // from the menu to the inbox, then search for the ticket and open it
    await page.getByRole('link', { name: 'Helpdesk' }).click();
    await page.getByRole('searchbox', { name: 'Search tickets' }).fill('jams on every page');
    await page.getByRole('searchbox', { name: 'Search tickets' }).press('Enter');
    await page.getByRole('link', { name: 'Printer jams on every page' }).click();
    expect(new URL(page.url()).pathname).toBe(`/admin/helpdesk/tickets/${ticket.documentId}`);

    // header: number, subject, badges, the way back to the inbox
    await page.getByRole('heading', { name: 'Printer jams on every page' }).waitFor();
    await expect(page.getByText(String(ticket.ticketNumber), { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Inbox' }).getAttribute('href')).resolves.toBe('/admin/helpdesk');

    // the conversation as the customer wrote it
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await expect(conversation.locator('article[data-kind="opening"]').innerText()).resolves.toContain('Since Monday the office printer jams on every page.');
    await expect(conversation.locator('article[data-kind="customer"]').innerText()).resolves.toContain('It is a LaserJet 4000, if that helps.');
    // by the name the helpdesk knows, not the portal account's login name
    await expect(conversation.locator('article[data-kind="customer"]').innerText()).resolves.toMatch(/^Gina Gray/);
    // the side panel: the requester and their other ticket
    const requester = page.getByRole('region', { name: 'Requester' });
    await expect(requester.innerText()).resolves.toMatch(/Gina Gray[\s\S]*gina@example\.test[\s\S]*Gray Ltd/);
    await expect(requester.getByRole('link', { name: /Old invoice/ }).isVisible()).resolves.toBe(true);

    // a public reply: shown as one, mailed to the requester once, threaded
    const before = (await mails(ticket.id)).length;
    const reply = page.getByRole('region', { name: 'Reply' });
    await reply.getByRole('textbox', { name: 'Reply' }).fill('We are sending a technician this afternoon.');
    await reply.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Reply sent').first().waitFor();
    await conversation.locator('article[data-kind="public_reply"]', { hasText: 'We are sending a technician this afternoon.' }).waitFor();
    const replyMails = (await mails(ticket.id)).slice(before);
    expect(replyMails.map((mail) => [mail.templateKey, mail.to])).toEqual([['comment_notification', 'gina@example.test']]);
    const outbox = helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
    for (let i = 0; i < 50 && !sink.messages.some((m) => m.parsed.messageId === replyMails[0].messageId); i += 1) await outbox.deliverDue();
    const delivered = sink.messages.filter((m) => m.parsed.messageId === replyMails[0].messageId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].envelopeTo).toEqual(['gina@example.test']);
    expect(delivered[0].parsed.text).toContain('We are sending a technician this afternoon.');
    const confirmation = (await mails(ticket.id)).find((mail) => mail.templateKey === 'ticket_confirmation')!;
    expect(delivered[0].parsed.inReplyTo).toBe(confirmation.messageId);
    expect([delivered[0].parsed.references].flat()).toContain(confirmation.messageId);

    // an internal note: marked as one, never mailed
    const mailsBeforeNote = (await mails(ticket.id)).length;
    await reply.getByRole('tab', { name: 'Internal note' }).click();
    await reply.getByRole('textbox', { name: 'Note' }).fill('Spare rollers are in the basement cupboard.');
    await reply.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Internal note added').first().waitFor();
    const note = conversation.locator('article[data-kind="internal_note"]', { hasText: 'Spare rollers are in the basement cupboard.' });
    await expect(note.locator('span, p').allTextContents()).resolves.toContain('Internal note');
    expect(await mails(ticket.id)).toHaveLength(mailsBeforeNote);

    // send and set status: the reply, then the status line; the ticket is resolved
    await reply.getByRole('tab', { name: 'Public reply' }).click();
    await reply.getByRole('textbox', { name: 'Reply' }).fill('The roller was worn; it is replaced now.');
    await reply.getByRole('button', { name: 'Send and set status' }).click();
    await page.getByRole('menuitem', { name: 'Send and set Resolved' }).click();
    await page.getByText('Reply sent; status set to Resolved').first().waitFor();
    await page.locator('header [data-status="resolved"], [data-status="resolved"]').first().waitFor();
    const lines = conversation.locator('li[data-history]');
    // the first public reply opened the new ticket (Helpdesk settings: Open on first reply)
    await lines.filter({ hasText: /changed status from New to Open/ }).waitFor();
    await lines.filter({ hasText: /changed status from Open to Resolved/ }).waitFor();
    expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticket.documentId } })).ticketStatus).toBe('resolved');

    // assign to me: the admin's own agent account
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByText('Ticket assigned to you').first().waitFor();
    await lines.filter({ hasText: /assigned the ticket to Ann Agent/ }).waitFor();
    await expect(page.getByRole('combobox', { name: 'Assigned to' }).innerText()).resolves.toContain('Ann Agent (me)');
    const stored = await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticket.documentId }, populate: { assignee: true } });
    expect(stored.assignee.email).toBe('ann@example.test');

    // priority and tags from the side panel
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('listbox').getByRole('option', { name: 'Urgent', exact: true }).click();
    await lines.filter({ hasText: /changed priority from High to Urgent/ }).waitFor();
    await page.getByRole('textbox', { name: 'New tag' }).fill('hardware');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Remove tag hardware' }).waitFor();
    await page.getByRole('button', { name: 'Remove tag printer' }).click();
    await page.getByRole('button', { name: 'Remove tag printer' }).waitFor({ state: 'detached' });
    const edited = await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticket.documentId } });
    expect([edited.priority, edited.tags]).toEqual(['urgent', ['hardware']]);
    await lines.filter({ hasText: /changed the tags from printer, hardware to hardware/ }).waitFor();

    // the history in words, between the messages, in order
    const history = (await lines.allInnerTexts()).map((text) => text.split(' · ')[0]);
    expect(history).toEqual([
      // history names the agent account, as it does for the same person's REST calls; the first
      // public reply opened the ticket
      'Ann Agent changed status from New to Open',
      'Ann Agent changed status from Open to Resolved',
      'Ann Agent assigned the ticket to Ann Agent',
      'Ann Agent changed priority from High to Urgent',
      // the SLA hook moves the due date to the urgent target
      expect.stringMatching(/^Ann Agent changed the due date from .+ UTC to .+ UTC$/),
      'Ann Agent changed the tags from printer to printer, hardware',
      'Ann Agent changed the tags from printer, hardware to hardware',
    ]);
    const order = await conversation.locator(':scope > li').evaluateAll((items) =>
      items.map((item) => item.querySelector('article')?.getAttribute('data-kind') ?? (item.hasAttribute('data-history') ? 'history' : 'other'))
    );
    // (the first reply's New to Open line right after it)
    expect(order).toEqual(['opening', 'customer', 'public_reply', 'history', 'internal_note', 'public_reply', 'history', 'history', 'history', 'history', 'history', 'history']);

    // for the README: the whole page (the panel scrolls inside the viewport), once the notifications are gone
    await page.getByText('Ticket updated').first().waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 1440, height: 1250 });
    await panel.screenshot('ticket-view', true);
    expect(panel.problems).toEqual([]);
  });

  it('shows the Cc list and edits it: a bad address is refused in words and changes nothing, the next reply copies the new list', async () => {
    const { page } = panel;
    const ticket = await helpdesk.strapi.documents(TICKET).create({
      data: { subject: 'VPN drops every hour', description: 'The VPN drops every hour.', email: 'olga@example.test', firstName: 'Olga', ccAddresses: ['colleague@example.test'] },
    });
    await page.goto(`${helpdesk.baseUrl}/admin/helpdesk/tickets/${ticket.documentId}`);
    const cc = page.getByRole('region', { name: 'Cc' });
    await cc.getByText('colleague@example.test').waitFor();

    await cc.getByRole('textbox', { name: 'Cc address' }).fill('not an address');
    await cc.getByRole('button', { name: 'Add to Cc' }).click();
    await page.getByText('"not an address" is not a valid email address').first().waitFor();
    // the typed text stays to be corrected; nothing was stored
    await expect(cc.getByRole('textbox', { name: 'Cc address' }).inputValue()).resolves.toBe('not an address');
    expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticket.documentId } })).ccAddresses).toEqual(['colleague@example.test']);

    await cc.getByRole('textbox', { name: 'Cc address' }).fill('Boss@Example.test');
    await cc.getByRole('textbox', { name: 'Cc address' }).press('Enter');
    await cc.getByRole('button', { name: 'Remove boss@example.test from Cc' }).waitFor();
    await cc.getByRole('button', { name: 'Remove colleague@example.test from Cc' }).click();
    await cc.getByRole('button', { name: 'Remove colleague@example.test from Cc' }).waitFor({ state: 'detached' });
    expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: ticket.documentId } })).ccAddresses).toEqual(['boss@example.test']);
    const lines = page.getByRole('list', { name: 'Conversation' }).locator('li[data-history]');
    await lines.filter({ hasText: 'Ann Agent changed Cc from colleague@example.test, boss@example.test to boss@example.test' }).waitFor();

    const reply = page.getByRole('region', { name: 'Reply' });
    // the composer says who a public reply goes to
    await reply.getByText("Mailed to the requester with boss@example.test on Cc, in the ticket's thread.").waitFor();
    await reply.getByRole('textbox', { name: 'Reply' }).fill('Which VPN client version do you run?');
    await reply.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Reply sent').first().waitFor();
    const sent = (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticket.id }, templateKey: 'comment_notification' } })) as Array<MailRow & { cc: string[] | null }>;
    expect(sent.map((mail) => [mail.to, mail.cc])).toEqual([['olga@example.test', ['boss@example.test']]]);

    await page.getByText('Reply sent').first().waitFor({ state: 'hidden' });
    await panel.screenshot('ticket-view-cc');
    expect(panel.problems).toEqual([]);
  });
});
