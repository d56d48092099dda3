import { startHelpdesk, mailIngestion, type Helpdesk } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';
import { SmtpSink } from './support/smtp-sink';
import { appendMails, composeMail, mailLoopEnv, startDovecot, type DovecotServer } from './support/dovecot';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';
import type { IngestionConfig, ImapConfig } from '../src/plugins/helpdesk/server/src/mail-ingestion/config';
import type { Page } from 'playwright-core';

const TICKET = 'plugin::helpdesk.ticket';
const SUPPORT = 'support@helpdesk.test';
const PASSWORD = 'Correct-Horse-9';

/** Marks the page; `stillSamePage` is true only while no navigation or reload replaced it since. */
async function markPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => ((window as unknown as { helpdeskTestMark: boolean }).helpdeskTestMark = true));
  return () => page.evaluate(() => (window as unknown as { helpdeskTestMark?: boolean }).helpdeskTestMark === true);
}

/**
 * The agent's day, live (Chromium, the built panel): Ann and Bob, two staff members in two
 * browsers. What one does, and what arrives by mail or over REST, shows on the other's screen
 * without a reload: new rows marked in the inbox, a reply and a status in the open ticket view,
 * while the text Ann is typing stays in her composer.
 */
describe('live inbox and ticket view, two agents', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  let ann: Panel;
  let bob: Panel;
  const sink = new SmtpSink();

  beforeAll(async () => {
    imap = await startDovecot();
    const port = await sink.start();
    helpdesk = await startHelpdesk({ env: mailLoopEnv(imap, port, SUPPORT) });
    await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' });
    await createStaffMember(helpdesk.strapi, { email: 'bob@example.test', password: PASSWORD, name: 'Bob Builder' });
    [ann, bob] = await Promise.all([openPanel(helpdesk.baseUrl), openPanel(helpdesk.baseUrl)]);
    await Promise.all([ann.signIn('ann@example.test', PASSWORD), bob.signIn('bob@example.test', PASSWORD)]);
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

    const bobReply = bob.page.getByRole('region', { name: 'Reply' });
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
    await ann.screenshot('live-two-agents-ann');
    await bob.screenshot('live-two-agents-bob');

    // Ann back in the inbox: the ticket she saw after Bob's change carries no mark
    await ann.page.goto('/admin/helpdesk?view=all');
    const row = ann.page.locator(`tbody tr[data-ticket="${ticket.ticketNumber}"]`);
    await row.waitFor();
    await expect(row.getAttribute('data-unseen')).resolves.toBeNull();
    // Bob raises the priority: Ann's row is marked updated, until she opens the ticket
    await bob.page.getByRole('combobox', { name: 'Priority' }).click();
    await bob.page.getByRole('listbox').getByRole('option', { name: 'Urgent', exact: true }).click();
    await ann.page.locator(`tbody tr[data-ticket="${ticket.ticketNumber}"][data-unseen="updated"]`).waitFor();
    await ann.page.locator(`tbody tr[data-ticket="${ticket.ticketNumber}"] [data-priority="urgent"]`).waitFor();
    await ann.screenshot('live-inbox-marks');
    await row.getByRole('link', { name: 'Laptop will not charge' }).click();
    await ann.page.getByRole('heading', { name: 'Laptop will not charge' }).waitFor();
    await ann.page.getByRole('link', { name: 'Inbox' }).click();
    await row.waitFor();
    await expect(row.getAttribute('data-unseen')).resolves.toBeNull();
    expect([...ann.problems, ...bob.problems]).toEqual([]);
  });
});
