import type { Page } from 'playwright-core';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';
import { createAgent } from '../src/plugins/helpdesk/server/src/access/roles';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';

/**
 * The helpdesk inbox in the built admin panel (Chromium): a super admin who is also an agent signs
 * in, opens Helpdesk from the menu, switches views, searches, sorts by priority (severity order),
 * bulk-assigns to themself, bulk-changes status (one illegal move reported per ticket), paginates.
 */

const TICKET = 'plugin::helpdesk.ticket';
const HISTORY = 'plugin::helpdesk.ticket-history';
const EMAIL = 'ada.admin@example.test';
const PASSWORD = 'Correct-Horse-9';
const HOUR = 60 * 60 * 1000;
const SEVERITY = ['critical', 'urgent', 'high', 'medium', 'low'];

const SUBJECTS = [
  'Printer on floor 3 jams on every job',
  'VPN drops every ten minutes',
  'Invoice 2026-114 charged twice',
  'Password reset mail never arrives',
  'Laptop fan loud after update',
  'Cannot export the quarterly report',
  'Refund for cancelled order',
  'App crashes when uploading a photo',
  'Email signature lost after migration',
  'Slow login in the mornings',
  'Feature request: dark mode',
  'Wrong VAT on the last invoice',
  'Shared drive not mounted',
  'Calendar invites arrive late',
  'Upgrade to the team plan',
  'Webcam not detected',
  'Two-factor codes rejected',
  'Order status page is blank',
  'Keyboard missing keys',
  'Monitor flickers',
  'Payment page times out',
  'Scanner saves empty PDFs',
];
const PRIORITY_OF = (i: number) => SEVERITY[(i * 3) % 5];
const STATUS_OF = (i: number) => ['open', 'new', 'in_progress', 'pending', 'open', 'reopened'][i % 6];
const FIRST = ['Gina', 'Marco', 'Priya', 'Tom', 'Lena', 'Sam'];
const LAST = ['Rossi', 'Weber', 'Shah', 'Okafor', 'Berg', 'Lee'];

interface Seeded {
  documentId: string;
  ticketNumber: string;
  subject: string;
  priority: string;
}

async function rowsShown(page: Page): Promise<Array<{ ticketNumber: string; priority: string; status: string }>> {
  const rows = page.getByRole('grid').locator('tbody tr');
  const result: Array<{ ticketNumber: string; priority: string; status: string }> = [];
  for (const row of await rows.all()) {
    result.push({
      ticketNumber: (await row.getAttribute('data-ticket')) ?? '',
      priority: (await row.locator('[data-priority]').getAttribute('data-priority')) ?? '',
      status: (await row.locator('[data-status]').getAttribute('data-status')) ?? '',
    });
  }
  return result;
}

/** Waits for the inbox to answer a request for this view (and anything else `matches` checks). */
function inboxAnswer(page: Page, matches: (url: URL) => boolean = () => true) {
  return page.waitForResponse((response) => {
    const url = new URL(response.url());
    return response.request().method() === 'GET' && url.pathname === '/helpdesk-admin/tickets' && matches(url);
  });
}

async function settled(page: Page, answer: ReturnType<typeof inboxAnswer>): Promise<{ data: Array<{ ticketNumber: string }>; meta: { pagination: { total: number; pageCount: number } } }> {
  const body = (await (await answer).json()) as { data: Array<{ ticketNumber: string }>; meta: { pagination: { total: number; pageCount: number } } };
  const rows = page.getByRole('grid').locator('tbody tr');
  if (body.data.length > 0) {
    await rows.first().and(page.locator(`[data-ticket="${body.data[0].ticketNumber}"]`)).waitFor();
    await rows.nth(body.data.length - 1).and(page.locator(`[data-ticket="${body.data[body.data.length - 1].ticketNumber}"]`)).waitFor();
    await rows.nth(body.data.length).waitFor({ state: 'detached' });
  }
  return body;
}

async function choose(page: Page, label: string, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('listbox').getByRole('option', { name: option }).click();
}

describe('back office: the helpdesk inbox in the admin panel', () => {
  let helpdesk: Helpdesk;
  let panel: Panel;
  let me: { id: number };
  const seeded: Seeded[] = [];
  let closed: Seeded;

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' } });
    // one staff identity with the Support agent admin role, as `npm run agent:create` makes it
    me = (await createStaffMember(helpdesk.strapi, { email: EMAIL, password: PASSWORD, name: 'Ada Admin' })).agent;
    const bob = await createAgent(helpdesk.strapi, { email: 'bob.agent@example.test', password: PASSWORD, name: 'Bob Agent' });
    for (const [i, subject] of SUBJECTS.entries()) {
      const priority = PRIORITY_OF(i);
      const ticket = await helpdesk.strapi.documents(TICKET).create({
        data: {
          subject,
          description: `${subject}. Please help.`,
          email: `${FIRST[i % 6].toLowerCase()}.${LAST[(i + 1) % 6].toLowerCase()}@example.test`,
          firstName: FIRST[i % 6],
          lastName: LAST[(i + 1) % 6],
          priority,
          ticketStatus: STATUS_OF(i),
          category: ['support', 'technical', 'billing', 'bug'][i % 4],
          assignee: i % 4 === 1 ? bob.id : null,
          // three overdue, the rest due later
          dueDate: new Date(Date.now() + (i < 3 ? -(i + 1) * 5 * HOUR : (i + 2) * 6 * HOUR)).toISOString(),
        } as never,
      });
      seeded.push({ documentId: ticket.documentId, ticketNumber: String(ticket.ticketNumber), subject, priority });
    }
    const done = await helpdesk.strapi.documents(TICKET).create({
      data: { subject: 'Old closed question', email: 'closed@example.test', firstName: 'Cleo', ticketStatus: 'closed', priority: 'low' } as never,
    });
    closed = { documentId: done.documentId, ticketNumber: String(done.ticketNumber), subject: 'Old closed question', priority: 'low' };
    panel = await openPanel(helpdesk.baseUrl);
  });
  afterAll(async () => {
    await panel?.close();
    await helpdesk?.stop();
  });

  it('works the inbox: views, search, severity sort, bulk assign and status, pagination', async () => {
    const { page } = panel;
    await panel.signIn(EMAIL, PASSWORD);

    // Helpdesk from the main menu: All open by default
    const first = inboxAnswer(page, (url) => url.searchParams.get('view') === 'open');
    await page.getByRole('link', { name: 'Helpdesk' }).click();
    const open = await settled(page, first);
    expect(open.meta.pagination).toMatchObject({ total: SUBJECTS.length, pageCount: 2 });
    await page.getByRole('tab', { name: /All open/ }).and(page.locator('[aria-selected="true"]')).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/helpdesk');

    // views
    const overdueAnswer = inboxAnswer(page, (url) => url.searchParams.get('view') === 'overdue');
    await page.getByRole('tab', { name: /Overdue/ }).click();
    const overdue = await settled(page, overdueAnswer);
    expect(overdue.data.map((row) => row.ticketNumber).sort()).toEqual(seeded.slice(0, 3).map((t) => t.ticketNumber).sort());
    expect(new URL(page.url()).searchParams.get('view')).toBe('overdue');
    expect(await page.locator('[data-overdue="true"]').count()).toBe(3);
    await page.getByRole('tab', { name: /Overdue/ }).getByText('3', { exact: true }).waitFor();

    const resolvedAnswer = inboxAnswer(page, (url) => url.searchParams.get('view') === 'resolved');
    await page.getByRole('tab', { name: /Recently resolved/ }).click();
    expect((await settled(page, resolvedAnswer)).data.map((row) => row.ticketNumber)).toEqual([closed.ticketNumber]);

    // search in All open
    const backToOpen = inboxAnswer(page, (url) => url.searchParams.get('view') === 'open');
    await page.getByRole('tab', { name: /All open/ }).click();
    await settled(page, backToOpen);
    const target = seeded[7];
    const searched = inboxAnswer(page, (url) => url.searchParams.get('search') === 'uploading a photo');
    // searched as typed, no Enter needed
    await page.getByRole('searchbox', { name: 'Search tickets' }).pressSequentially('uploading a photo');
    expect((await settled(page, searched)).data.map((row) => row.ticketNumber)).toEqual([target.ticketNumber]);
    await page.getByRole('link', { name: target.subject }).waitFor();
    expect(await page.getByRole('link', { name: target.subject }).getAttribute('href')).toBe(`/admin/helpdesk/tickets/${target.documentId}`);
    const cleared = inboxAnswer(page, (url) => !url.searchParams.has('search'));
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await settled(page, cleared);

    // filter by priority, then clear it
    const filtered = inboxAnswer(page, (url) => url.searchParams.get('priority') === 'urgent');
    await choose(page, 'Priority', 'Urgent');
    const urgent = await settled(page, filtered);
    expect(urgent.data.length).toBe(seeded.filter((t) => t.priority === 'urgent').length);
    expect(new Set((await rowsShown(page)).map((row) => row.priority))).toEqual(new Set(['urgent']));
    const unfiltered = inboxAnswer(page, (url) => !url.searchParams.has('priority'));
    await page.getByRole('button', { name: 'Clear priority' }).click();
    await settled(page, unfiltered);

    // sort by priority: most severe first, then the other way
    const byPriority = inboxAnswer(page, (url) => url.searchParams.get('sort') === 'priority:desc');
    await page.getByRole('button', { name: /^Sort by Priority/ }).click();
    await settled(page, byPriority);
    const shown = (await rowsShown(page)).map((row) => row.priority);
    const expected = seeded.map((t) => t.priority).sort((a, b) => SEVERITY.indexOf(a) - SEVERITY.indexOf(b)).slice(0, 20);
    expect(shown).toEqual(expected);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('priority:desc');

    // pagination keeps the sort
    const secondPage = inboxAnswer(page, (url) => url.searchParams.get('page') === '2' && url.searchParams.get('sort') === 'priority:desc');
    await page.getByRole('button', { name: 'Next page' }).click();
    const second = await settled(page, secondPage);
    expect(second.data).toHaveLength(SUBJECTS.length - 20);
    await page.getByTestId('page-status').getByText('Page 2 of 2').waitFor();
    expect((await rowsShown(page)).map((row) => row.priority)).toEqual(
      seeded.map((t) => t.priority).sort((a, b) => SEVERITY.indexOf(a) - SEVERITY.indexOf(b)).slice(20)
    );
    const firstPage = inboxAnswer(page, (url) => url.searchParams.get('page') === '1');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await settled(page, firstPage);

    // bulk: the two most severe unassigned tickets to me
    const rows = await rowsShown(page);
    const picked = rows.slice(0, 2).map((row) => row.ticketNumber);
    for (const number of picked) await page.getByRole('checkbox', { name: `Select ${number}` }).click();
    await page.getByTestId('bulk-bar').getByText('2 tickets selected').waitFor();
    await panel.screenshot('inbox', true);
    await choose(page, 'Assign to', /^Me \(Ada Admin\)/);
    const afterAssign = inboxAnswer(page);
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByText('Assign: 2 of 2 changed').waitFor();
    await settled(page, afterAssign);
    const pickedIds = seeded.filter((t) => picked.includes(t.ticketNumber)).map((t) => t.documentId);
    const assigned = (await helpdesk.strapi.db.query(TICKET).findMany({
      where: { documentId: { $in: pickedIds } },
      populate: { assignee: { select: ['id'] } },
    })) as Array<{ id: number; assignee: { id: number } | null }>;
    expect(assigned.map((t) => t.assignee?.id)).toEqual([me.id, me.id]);
    for (const ticket of assigned) {
      expect(await helpdesk.strapi.db.query(HISTORY).count({ where: { ticket: { id: ticket.id }, action: 'assigned' } })).toBe(1);
    }

    // My open tickets holds them; bulk status change from there
    const mine = inboxAnswer(page, (url) => url.searchParams.get('view') === 'my');
    await page.getByRole('tab', { name: /My open tickets/ }).click();
    expect((await settled(page, mine)).data.map((row) => row.ticketNumber).sort()).toEqual([...picked].sort());
    await page.getByRole('checkbox', { name: 'Select all tickets on this page' }).click();
    await choose(page, 'Set status', 'Pending');
    await page.getByRole('button', { name: 'Apply status' }).click();
    // Pending is mailed to requesters (the default settings), for each ticket it moves: the panel
    // says how many and asks first
    const moving = ((await helpdesk.strapi.db.query(TICKET).findMany({ where: { ticketNumber: { $in: picked } }, select: ['ticketStatus'] })) as Array<{ ticketStatus: string }>).filter(
      (t) => t.ticketStatus !== 'pending'
    ).length;
    expect(moving).toBeGreaterThan(0);
    const customers = moving === 1 ? '1 customer' : `${moving} customers`;
    const confirm = page.getByRole('alertdialog', { name: `Mail ${customers}?` });
    await confirm.getByText(`Set status to Pending on 2 tickets: ${moving === 1 ? '1 requester is' : `${moving} requesters are`} mailed about it.`).waitFor();
    await confirm.getByRole('button', { name: `Apply and send ${moving === 1 ? '1 mail' : `${moving} mails`}` }).click();
    await page.getByText('Set status to Pending: 2 of 2 changed').waitFor();
    await page.locator('[data-status="pending"]').nth(1).waitFor();
    expect(new Set((await rowsShown(page)).map((row) => row.status))).toEqual(new Set(['pending']));

    // an illegal move is reported per ticket
    const resolved = inboxAnswer(page, (url) => url.searchParams.get('view') === 'resolved');
    await page.getByRole('tab', { name: /Recently resolved/ }).click();
    await settled(page, resolved);
    await page.getByRole('checkbox', { name: `Select ${closed.ticketNumber}` }).click();
    await choose(page, 'Set status', 'In progress');
    await page.getByRole('button', { name: 'Apply status' }).click();
    await page.getByText('Set status to In progress: 0 of 1 changed').waitFor();
    await page.getByTestId('bulk-failures').getByText(`${closed.ticketNumber}: a ticket cannot move from closed to in_progress`).waitFor();
    const stillClosed = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { documentId: closed.documentId }, select: ['ticketStatus'] })) as { ticketStatus: string };
    expect(stillClosed.ticketStatus).toBe('closed');

    // a home widget's link opens a view directly
    const linked = inboxAnswer(page, (url) => url.searchParams.get('view') === 'overdue');
    await page.goto('/admin/helpdesk?view=overdue');
    expect((await settled(page, linked)).data).toHaveLength(3);
    await page.getByRole('tab', { name: /Overdue/ }).and(page.locator('[aria-selected="true"]')).waitFor();

    expect(panel.problems).toEqual([]);
  });

  it('opens a ticket for a caller from the inbox: a refusal on its field, then the new ticket\'s view, assigned to me', async () => {
    const { page } = panel;
    await page.goto('/admin/helpdesk');
    const before = await helpdesk.strapi.db.query(TICKET).count();
    await page.getByRole('button', { name: 'New ticket' }).click();
    const dialog = page.getByRole('dialog', { name: 'New ticket' });
    await dialog.getByRole('textbox', { name: 'Subject' }).fill('Phone: cannot print payslips');
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Called at 9:10 from the finance office.');
    // no requester yet: the server says why, on the email field, and opens nothing
    await dialog.getByRole('button', { name: 'Open ticket' }).click();
    await dialog.getByText("the requester's address is required").waitFor();
    expect(await helpdesk.strapi.db.query(TICKET).count()).toBe(before);
    await expect(dialog.getByRole('combobox', { name: 'Assignee' }).innerText()).resolves.toContain('Ada Admin (me)');

    await dialog.getByRole('textbox', { name: "Requester's email" }).fill('Fay.Finance@example.test');
    await dialog.getByRole('textbox', { name: 'First name' }).fill('Fay');
    await dialog.getByRole('textbox', { name: 'Last name' }).fill('Finance');
    await choose(page, 'Priority', 'High');
    await choose(page, 'Category', 'Technical');
    await panel.screenshot('inbox-new-ticket');
    await dialog.getByRole('button', { name: 'Open ticket' }).click();
    await page.getByRole('heading', { name: 'Phone: cannot print payslips' }).waitFor();
    const created = await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'Phone: cannot print payslips' }, populate: { assignee: true, contact: true } });
    expect(new URL(page.url()).pathname).toBe(`/admin/helpdesk/tickets/${created.documentId}`);
    expect([created.priority, created.category, created.source, created.ticketStatus, created.assignee?.id, created.contact?.email]).toEqual(['high', 'technical', 'admin', 'new', me.id, 'fay.finance@example.test']);
    await page.getByRole('region', { name: 'Requester' }).getByText('Fay Finance').waitFor();
    await page.getByText(/Ada Admin assigned the ticket to Ada Admin/).waitFor();
    expect(await helpdesk.strapi.db.query(TICKET).count()).toBe(before + 1);
    expect(panel.problems).toEqual([]);
  });
});
