import { startHelpdesk, mailIngestion, type Helpdesk } from './helpers/helpdesk';
import type { Panel } from './helpers/browser';
import { signInTwoAgents } from './helpers/two-agents';
import { SmtpSink } from './support/smtp-sink';
import { appendMails, composeMail, mailLoopEnv, startDovecot, type DovecotServer } from './support/dovecot';
import type { IngestionConfig, ImapConfig } from '../src/plugins/helpdesk/server/src/mail-ingestion/config';
import type { Page } from 'playwright-core';

const TICKET = 'plugin::helpdesk.ticket';
const SUPPORT = 'support@helpdesk.test';
const PASSWORD = 'Correct-Horse-9';

/** Marks the page; `stillSamePage` is true only while no navigation or reload replaced it since. */
async function markPage(page: Page): Promise<() => Promise<boolean>> {
  // run in the browser: globalThis is the page's window
  await page.evaluate(() => ((globalThis as unknown as { helpdeskTestMark: boolean }).helpdeskTestMark = true));
  return () => page.evaluate(() => (globalThis as unknown as { helpdeskTestMark?: boolean }).helpdeskTestMark === true);
}

/**
 * The agent's day, live (Chromium, the built panel): Ann and Bob, two staff members in two
 * browsers. What one does, and what arrives by mail or over REST, shows on the other's screen
 * without a reload: new rows marked in the inbox, a reply and a status in the open ticket view,
 * while the text Ann is typing stays in her composer.
 */
describe("the agent's day in the panel: live views, two agents, drafts, the keyboard", () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  let ann: Panel;
  let bob: Panel;
  const sink = new SmtpSink();

  beforeAll(async () => {
    imap = await startDovecot();
    const port = await sink.start();
    helpdesk = await startHelpdesk({ env: mailLoopEnv(imap, port, SUPPORT) });
    ({ ann, bob } = await signInTwoAgents(helpdesk, PASSWORD));
  }, 180_000);
  afterAll(async () => {
    await ann?.close();
    await bob?.close();
    await helpdesk?.stop();
    await imap?.stop();
    await sink.stop();
  });

  it('shows a mailed-in ticket and a guest ticket as marked new rows in a watched inbox, without a reload', async () => {
    const { page } = ann;
    await page.goto('/admin/helpdesk?view=all');
    await page.getByRole('heading', { name: 'Helpdesk' }).waitFor();
    const samePage = await markPage(page);

    await appendMails(imap, 'INBOX', [await composeMail({ from: '"Mia Mail" <mia@customer.test>', to: SUPPORT, subject: 'Scanner offline since noon', text: 'Our scanner is offline.', messageId: '<live-1@customer.test>' })]);
    const ingestion = mailIngestion(helpdesk);
    const report = await ingestion.ingest(ingestion.readConfig() as IngestionConfig & { imap: ImapConfig });
    expect(report.outcomes.ticket_created).toBe(1);
    const mailed = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'Scanner offline since noon' } })) as { ticketNumber: string };
    const mailedRow = page.locator(`tbody tr[data-ticket="${mailed.ticketNumber}"]`);
    await mailedRow.waitFor();
    await expect(mailedRow.getAttribute('data-unseen')).resolves.toBe('new');
    await expect(mailedRow.getByText('New ticket', { exact: true }).isVisible()).resolves.toBe(true);

    const guest = await helpdesk.submitGuest({
      data: { firstName: 'Gus', lastName: 'Guest', email: 'gus@example.test', phone: '+49 30 1234567', company: 'Example GmbH', subject: 'Badge reader rejects my card', description: 'Since this morning.' },
    });
    expect(guest.status).toBe(201);
    await page.getByRole('link', { name: 'Badge reader rejects my card' }).waitFor();
    expect(await samePage()).toBe(true);
    expect(ann.problems).toEqual([]);
  });

  it("shows Bob's reply and status in Ann's open ticket view while her draft stays, and marks his later change in her inbox until she opens it", async () => {
    const ticket = await helpdesk.strapi.documents(TICKET).create({
      data: { subject: 'Laptop will not charge', description: 'The charging light stays off.', email: 'lia@customer.test', firstName: 'Lia', lastName: 'Long' },
    });
    // both open the ticket
    await ann.page.goto(`/admin/helpdesk/tickets/${ticket.documentId}`);
    await bob.page.goto(`/admin/helpdesk/tickets/${ticket.documentId}`);
    await ann.page.getByRole('heading', { name: 'Laptop will not charge' }).waitFor();
    await bob.page.getByRole('heading', { name: 'Laptop will not charge' }).waitFor();
    const samePage = await markPage(ann.page);
    const annReply = ann.page.getByRole('region', { name: 'Reply' }).getByRole('textbox', { name: 'Reply' });
    await annReply.fill('I am looking into it');

    // each sees the other on the ticket; Ann sees Bob typing while he writes
    const annSees = ann.page.getByRole('status', { name: 'Colleagues on this ticket' });
    await annSees.getByText('Bob Builder is viewing this ticket').waitFor();
    await bob.page.getByRole('status', { name: 'Colleagues on this ticket' }).getByText('Ann Agent is typing a reply…').waitFor();
    const bobReply = bob.page.getByRole('region', { name: 'Reply' });
    await bobReply.getByRole('textbox', { name: 'Reply' }).pressSequentially('Please try another power outlet; ');
    await annSees.getByText('Bob Builder is typing a reply…').waitFor();
    await bobReply.getByRole('textbox', { name: 'Reply' }).fill('Please try another power outlet; the adapter is fine.');
    await bobReply.getByRole('button', { name: 'Send and set status' }).click();
    await bob.page.getByRole('menuitem', { name: 'Send and set Pending' }).click();
    await bob.page.getByText('Reply sent; status set to Pending').first().waitFor();

    // Ann sees it where she is, without a reload, and her words are still there
    const conversation = ann.page.getByRole('list', { name: 'Conversation' });
    await conversation.getByText('Please try another power outlet; the adapter is fine.').waitFor();
    await ann.page.locator('main [data-status="pending"]').first().waitFor();
    await expect(annReply.inputValue()).resolves.toBe('I am looking into it');
    expect(await samePage()).toBe(true);
    await ann.screenshot('live-two-agents', true);
    await bob.screenshot('live-two-agents-bob');

    // Ann goes back to the inbox (leaving her draft): Bob's view says she left at once, not after the
    // presence's 25 s (a closed tab or a reload says nothing: there it is the 25 s)
    const annLeft = bob.page.getByRole('status', { name: 'Colleagues on this ticket' }).getByText(/^Ann Agent is/);
    await annLeft.waitFor();
    await ann.page.getByRole('link', { name: 'Inbox' }).click();
    await ann.page.getByRole('alertdialog', { name: 'Leave this ticket?' }).getByRole('button', { name: 'Leave' }).click();
    await ann.page.getByRole('tab', { name: /All open/ }).click();
    const row = ann.page.locator(`tbody tr[data-ticket="${ticket.ticketNumber}"]`);
    await row.waitFor();
    await annLeft.waitFor({ state: 'detached', timeout: 5_000 });
    await expect(row.getAttribute('data-unseen')).resolves.toBeNull();
    // Bob raises the priority: Ann's row is marked updated, until she opens the ticket
    await bob.page.getByRole('combobox', { name: 'Priority' }).click();
    await bob.page.getByRole('listbox').getByRole('option', { name: 'Urgent', exact: true }).click();
    await ann.page.locator(`tbody tr[data-ticket="${ticket.ticketNumber}"][data-unseen="updated"]`).waitFor();
    await ann.page.locator(`tbody tr[data-ticket="${ticket.ticketNumber}"] [data-priority="urgent"]`).waitFor();
    await ann.screenshot('live-inbox-marks');
    await row.getByRole('link', { name: 'Laptop will not charge' }).click();
    await ann.page.getByRole('heading', { name: 'Laptop will not charge' }).waitFor();
    // her unsent words came back as her draft; leaving asks
    await expect(ann.page.getByRole('region', { name: 'Reply' }).getByRole('textbox', { name: 'Reply' }).inputValue()).resolves.toBe('I am looking into it');
    await ann.page.getByRole('link', { name: 'Inbox' }).click();
    await ann.page.getByRole('alertdialog', { name: 'Leave this ticket?' }).getByRole('button', { name: 'Leave' }).click();
    await row.waitFor();
    await expect(row.getAttribute('data-unseen')).resolves.toBeNull();
    expect([...ann.problems, ...bob.problems]).toEqual([]);
  });

  it("refuses Ann's send on a view Bob changed meanwhile (409 in words), shows the ticket as it is now and keeps her text", async () => {
    const ticket = await helpdesk.strapi.documents(TICKET).create({
      data: { subject: 'Printer prints blank pages', description: 'Every page comes out blank.', email: 'pia@customer.test', firstName: 'Pia', lastName: 'Page' },
    });
    const { page } = ann;
    await page.goto(`/admin/helpdesk/tickets/${ticket.documentId}`);
    await page.getByRole('heading', { name: 'Printer prints blank pages' }).waitFor();
    // Ann's view goes stale: no live feed, and her view's reads wait until released
    await page.route('**/helpdesk-admin/live', (route) => route.abort());
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const viewUrl = `**/helpdesk-admin/tickets/${ticket.documentId}`;
    await page.route(viewUrl, async (route) => {
      if (route.request().method() === 'GET') await released;
      await route.continue();
    });

    const bob = await helpdesk.request<{ data: { token: string } }>('POST', '/admin/login', { body: { email: 'bob@example.test', password: PASSWORD } });
    const resolved = await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket.documentId}/replies`, {
      token: bob.body.data.token,
      body: { body: 'A new toner cartridge fixed it.', ticketStatus: 'resolved' },
    });
    expect(resolved.status).toBe(201);

    const reply = page.getByRole('region', { name: 'Reply' });
    await reply.getByRole('textbox', { name: 'Reply' }).fill('I am looking into it');
    await reply.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText(/^Bob Builder changed status from New to Resolved just now.*after you opened this ticket\. Nothing was saved/).first().waitFor();
    release();
    await page.unroute(viewUrl);
    // the view shows Bob's reply and status now; Ann's words are still in the composer, unsent
    await page.getByRole('list', { name: 'Conversation' }).getByText('A new toner cartridge fixed it.').waitFor();
    await page.locator('main [data-status="resolved"]').first().waitFor();
    await expect(reply.getByRole('textbox', { name: 'Reply' }).inputValue()).resolves.toBe('I am looking into it');
    await ann.screenshot('live-stale-write', true);
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.comment').count({ where: { body: 'I am looking into it' } })).toBe(0);
    await page.unroute('**/helpdesk-admin/live');
  });

  it('keeps a half-written reply as a draft across navigation and reload, asks before leaving with it, and drops it once sent', async () => {
    const ticket = await helpdesk.strapi.documents(TICKET).create({
      data: { subject: 'Mouse double-clicks', description: 'Every click counts twice.', email: 'max@customer.test', firstName: 'Max', lastName: 'Mouse' },
    });
    const { page } = ann;
    await page.goto(`/admin/helpdesk/tickets/${ticket.documentId}`);
    await page.getByRole('heading', { name: 'Mouse double-clicks' }).waitFor();
    const reply = page.getByRole('region', { name: 'Reply' });
    const text = reply.getByRole('textbox', { name: 'Reply' });
    await text.fill('A new mouse is on its way; until then');
    await reply.locator('[data-draft-state="saved"]').waitFor();

    // leaving asks; Stay keeps her here with her text
    await page.getByRole('link', { name: 'Inbox' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Leave this ticket?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stay' }).click();
    await expect(text.inputValue()).resolves.toBe('A new mouse is on its way; until then');
    // Leave goes; the text is there again on coming back, and after a reload
    await page.getByRole('link', { name: 'Inbox' }).click();
    await dialog.getByRole('button', { name: 'Leave' }).click();
    await page.getByRole('heading', { name: 'Helpdesk' }).waitFor();
    await page.getByRole('link', { name: 'Mouse double-clicks' }).click();
    await expect(text.inputValue()).resolves.toBe('A new mouse is on its way; until then');
    await page.reload();
    await page.getByRole('heading', { name: 'Mouse double-clicks' }).waitFor();
    await expect(text.inputValue()).resolves.toBe('A new mouse is on its way; until then');
    await ann.screenshot('reply-draft-kept');

    // sent: the draft is gone, leaving asks nothing
    await text.fill('A new mouse is on its way; until then, lower the double-click speed.');
    await reply.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Reply sent').first().waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Mouse double-clicks' }).waitFor();
    await expect(text.inputValue()).resolves.toBe('');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('heading', { name: 'Helpdesk' }).waitFor();
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.reply-draft').count({ where: { ticketDocumentId: ticket.documentId } })).toBe(0);
    expect(ann.problems).toEqual([]);
  });

  it('moves through the inbox and works a ticket from the keyboard: j/k, o, r, Ctrl+Enter, a, s and the ? list', async () => {
    // the drafts earlier tests left would (rightly) ask before each move
    await helpdesk.strapi.db.query('plugin::helpdesk.reply-draft').deleteMany({});
    const { page } = ann;
    await page.goto('/admin/helpdesk?view=open');
    await page.getByRole('heading', { name: 'Helpdesk' }).waitFor();
    const rows = page.locator('tbody tr');
    await rows.nth(2).waitFor();
    const numbers = await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-ticket')));

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const marked = page.locator('tbody tr[data-cursor="true"]');
    await expect(marked.getAttribute('data-ticket')).resolves.toBe(numbers[1]);
    await page.keyboard.press('o');
    const numberShown = (ticketNumber: string | null) => page.locator('main').getByText(String(ticketNumber), { exact: true }).first();
    await numberShown(numbers[1]).waitFor();
    // next and previous ticket of the inbox list
    const opened = new URL(page.url()).pathname;
    await page.keyboard.press('j');
    await page.waitForURL((url) => url.pathname !== opened && url.pathname.startsWith('/admin/helpdesk/tickets/'), { waitUntil: 'commit' });
    await page.getByRole('region', { name: 'Reply' }).waitFor();
    await page.keyboard.press('k');
    await page.waitForURL((url) => url.pathname === opened, { waitUntil: 'commit' });
    await numberShown(numbers[1]).waitFor();

    // r: write a reply; Ctrl+Enter sends it
    await page.keyboard.press('r');
    const text = page.getByRole('region', { name: 'Reply' }).getByRole('textbox', { name: 'Reply' });
    await expect(text.evaluate((element) => element === element.ownerDocument.activeElement)).resolves.toBe(true);
    await page.keyboard.type('Sent from the keyboard.');
    await page.keyboard.press('Control+Enter');
    await page.getByText('Reply sent').first().waitFor();
    await page.getByRole('list', { name: 'Conversation' }).getByText('Sent from the keyboard.').waitFor();
    await text.blur();

    // a: assign to me; s: the status, chosen with the keyboard
    await page.keyboard.press('a');
    await page.getByText('Ticket assigned to you').first().waitFor();
    await page.keyboard.press('s');
    await page.getByRole('listbox').waitFor();
    await page.getByRole('listbox').getByRole('option', { name: 'Resolved', exact: true }).click();
    await page.getByText('Status set to Resolved').first().waitFor();

    // ? lists them all
    await page.keyboard.press('?');
    const list = page.getByRole('alertdialog', { name: 'Keyboard shortcuts' });
    await list.getByText('Next / previous ticket of the inbox').waitFor();
    await page.waitForTimeout(400); // the dialog's fade-in, for the picture
    await ann.screenshot('keyboard-shortcuts');
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    expect(ann.problems).toEqual([]);
  });
});
