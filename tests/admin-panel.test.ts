import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Response } from 'playwright-core';
import { adminBuildProblem } from './helpers/admin-build';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { STATUS_LABELS, TICKET_STATUSES, type TicketStatus } from '../src/plugins/helpdesk/shared/contract';

/**
 * The built admin panel (dist/build, made by the jest global setup or CI's "build admin" phase) in
 * Debian's Chromium: a super admin signs in through the login form, opens the ticket list in the
 * Content Manager, filters it by status with the Filters popover and sorts it by the Status column.
 */

const TICKET = 'plugin::helpdesk.ticket';
const LIST_PATH = `/admin/content-manager/collection-types/${TICKET}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'Correct-Horse-9';
const EMAIL = 'staff.admin@example.test';
const SCREENSHOTS = path.resolve(__dirname, '..', '.tmp', 'screenshots');
/** Generous: the machine is shared and the first page load parses the whole admin bundle. */
const UI_TIMEOUT = 60_000;

/** Created in this order, so the default list (newest first) is not in status order. */
const SEEDS = ['open', 'pending', 'resolved', 'open', 'pending', 'open'] as const;
const OPEN = SEEDS.filter((status) => status === 'open').length;

interface ListAnswer {
  results: Array<{ ticketNumber: string; ticketStatus: string }>;
  pagination: { total: number };
}

/** The list view's table as text: one record per row, keyed by column header. */
async function readTable(page: Page): Promise<Array<Record<string, string>>> {
  const table = page.getByRole('grid');
  const headers = (await table.locator('thead th').allTextContents()).map((text) => text.trim());
  const rows: Array<Record<string, string>> = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
    rows.push(Object.fromEntries(headers.map((header, index) => [header, cells[index] ?? ''])));
  }
  return rows;
}

/** Waits until the table shows exactly these ticket numbers, in this order (the answer the UI asked for). */
async function waitForRows(page: Page, ticketNumbers: string[]): Promise<void> {
  const rows = page.getByRole('grid').locator('tbody tr');
  for (const [index, ticketNumber] of ticketNumbers.entries()) {
    await rows.nth(index).filter({ hasText: ticketNumber }).waitFor({ timeout: UI_TIMEOUT });
  }
  await rows.nth(ticketNumbers.length).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
}

/** The Content Manager's list request for tickets whose URL satisfies `matches`. */
function listResponse(page: Page, matches: (url: URL) => boolean): Promise<Response> {
  return page.waitForResponse(
    (response) => {
      const url = new URL(response.url());
      return response.request().method() === 'GET' && url.pathname === `/content-manager/collection-types/${TICKET}` && matches(url);
    },
    { timeout: UI_TIMEOUT }
  );
}

/** The list header's count ("6 entries found"), which the panel takes from the answer's pagination. */
async function expectEntriesFound(page: Page, count: number): Promise<void> {
  await page.getByText(`${count} entries found`, { exact: true }).waitFor();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A status as the list shows it. */
const words = (status: string) => STATUS_LABELS[status as TicketStatus];

/** Picks `option` in the design system's select labelled `label`; its listbox opens in a portal of the page. */
async function choose(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('listbox').getByRole('option', { name: option, exact: true }).click();
}

describe('admin panel: ticket list', () => {
  let helpdesk: Helpdesk;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const seeded: Array<{ ticketNumber: string; ticketStatus: string }> = [];

  beforeAll(async () => {
    // never skip: a run without the built panel or the browser must fail and say why
    const buildProblem = adminBuildProblem();
    if (buildProblem) throw new Error(`${buildProblem}: run NODE_ENV=production npm run build (the jest global setup does it)`);
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });

    helpdesk = await startHelpdesk();
    await helpdesk.admin(EMAIL);
    for (const ticketStatus of SEEDS) {
      const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: `Printer ${ticketStatus}`, ticketStatus } });
      if (!ticket.ticketNumber) throw new Error('a new ticket got no ticket number');
      seeded.push({ ticketNumber: ticket.ticketNumber, ticketStatus });
      // distinct creation times, so that "newest first" is one order
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ baseURL: helpdesk.baseUrl, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    // The panel calls out (analytics, AI, update checks): keep the test to this Strapi.
    await context.route((url) => url.origin !== helpdesk.baseUrl, (route) => route.abort());
    // A development bundle (left by `strapi develop --no-watch-admin`) opens a guided tour; staff would close it.
    await context.addInitScript({ content: `localStorage.setItem('STRAPI_GUIDED_TOUR', '{"enabled":false}')` });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('pageerror', (error) => problems.push(String(error)));
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await helpdesk?.stop();
  });

  it('signs in, filters the tickets by Status with the Filters popover, and sorts them by the Status column', async () => {
    // sign in as staff do
    await page.goto('/admin', { timeout: UI_TIMEOUT });
    await page.locator('input[name="email"]').fill(EMAIL);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.getByText(/^Hello /).waitFor();

    // the ticket list from the main navigation, newest first (the layout's default sort)
    const newestFirst = [...seeded].reverse();
    const unfiltered = listResponse(page, (url) => url.searchParams.get('sort') === 'createdAt:DESC');
    await page.getByRole('link', { name: 'Content Manager' }).click();
    await page.getByRole('link', { name: 'Ticket', exact: true }).click();
    expect(((await (await unfiltered).json()) as ListAnswer).pagination.total).toBe(SEEDS.length);
    await waitForRows(page, newestFirst.map((t) => t.ticketNumber));
    expect(new URL(page.url()).pathname).toBe(LIST_PATH);
    await screenshot(page, '1-ticket-list');
    const headers = page.getByRole('grid').locator('thead th');
    expect((await headers.allTextContents()).map((text) => text.trim())).toEqual(
      expect.arrayContaining(['Ticket number', 'Subject', 'Status', 'Priority'])
    );
    expect((await headers.allTextContents()).map((text) => text.trim())).not.toContain('ticketStatus');
    // statuses in words (the inbox's badges), not stored values
    expect((await readTable(page)).map((row) => row.Status)).toEqual(newestFirst.map((t) => words(t.ticketStatus)));

    // Filters → field "Status", operator "is", value "Open" → Add filter
    await page.getByRole('button', { name: 'Filters' }).click();
    const popover = page.getByRole('dialog');
    await popover.getByRole('combobox', { name: 'Select field', exact: true }).click();
    const fields = (await page.getByRole('listbox').getByRole('option').allTextContents()).map((text) => text.trim());
    expect(fields).toContain('Status');
    expect(fields).not.toContain('ticketStatus');
    await page.getByRole('listbox').getByRole('option', { name: 'Status', exact: true }).click();
    await choose(page, popover, 'Select filter', 'is');
    await choose(page, popover, 'Status', 'Open');
    await screenshot(page, '2-filter-popover');
    const filtered = listResponse(page, (url) => url.searchParams.get('filters[$and][0][ticketStatus][$eq]') === 'open');
    await popover.getByRole('button', { name: 'Add filter' }).click();
    const filteredAnswer = (await (await filtered).json()) as ListAnswer;
    await waitForRows(page, filteredAnswer.results.map((t) => t.ticketNumber));
    await screenshot(page, '3-filtered-open');

    expect(new URL(page.url()).searchParams.get('filters[$and][0][ticketStatus][$eq]')).toBe('open');
    expect(decodeURIComponent(page.url())).toContain('filters[$and][0][ticketStatus][$eq]=open');
    await page.getByText('Status is Open', { exact: true }).waitFor();
    const openTickets = seeded.filter((t) => t.ticketStatus === 'open').reverse();
    const shown = await readTable(page);
    expect(shown).toHaveLength(OPEN);
    expect(shown.map((row) => row.Status)).toEqual(Array(OPEN).fill('Open'));
    expect(shown.map((row) => row['Ticket number'])).toEqual(openTickets.map((t) => t.ticketNumber));
    await expectEntriesFound(page, OPEN);

    // remove the filter (the tag's button), then sort by clicking the Status column header
    // (the panel may answer this from its cache: no request to wait for)
    await page.getByRole('button', { name: 'Status is Open', exact: true }).click();
    await waitForRows(page, newestFirst.map((t) => t.ticketNumber));
    expect(new URL(page.url()).searchParams.has('filters[$and][0][ticketStatus][$eq]')).toBe(false);
    await expectEntriesFound(page, SEEDS.length);

    const statusHeader = page.getByRole('grid').locator('thead').getByRole('gridcell', { name: 'Status', exact: true });
    const everyTicket = seeded.map((t) => t.ticketNumber).sort();
    for (const [order, ariaSort] of [['ASC', 'ascending'], ['DESC', 'descending']] as const) {
      const sorted = listResponse(page, (url) => url.searchParams.get('sort') === `ticketStatus:${order}`);
      await statusHeader.click();
      await waitForRows(page, ((await (await sorted).json()) as ListAnswer).results.map((t) => t.ticketNumber));
      await screenshot(page, `4-sorted-by-status-${order.toLowerCase()}`);

      expect(new URL(page.url()).searchParams.get('sort')).toBe(`ticketStatus:${order}`);
      expect(await statusHeader.getAttribute('aria-sort')).toBe(ariaSort);
      const rows = await readTable(page);
      // the Status column sorts by the stored value
      const statuses = [...SEEDS].sort().map(words);
      expect(rows.map((row) => row.Status)).toEqual(order === 'ASC' ? statuses : statuses.reverse());
      expect(rows.map((row) => row['Ticket number']).sort()).toEqual(everyTicket);
    }

    expect(problems).toEqual([]);
  });

  it("edits a ticket's enumerations in words: the select shows and offers words, and saves the stored value", async () => {
    const ticket = seeded.find((t) => t.ticketStatus === 'pending');
    if (!ticket) throw new Error('no pending seed');
    const row = await helpdesk.strapi.db.query(TICKET).findOne({ where: { ticketNumber: ticket.ticketNumber } });
    await page.goto(`${LIST_PATH}/${row.documentId}`, { timeout: UI_TIMEOUT });
    const status = page.getByRole('combobox', { name: 'Status', exact: true });
    await expect(status.textContent()).resolves.toContain('Pending');
    await status.click();
    const offered = (await page.getByRole('listbox').getByRole('option').allTextContents()).map((text) => text.trim());
    // the schema's order, each value in its words (Strapi's own "Choose here" first); no stored value shown
    expect(offered).toEqual(['Choose here', ...TICKET_STATUSES.map(words)]);
    expect(offered).toContain('In progress');
    await page.getByRole('listbox').getByRole('option', { name: 'In progress', exact: true }).click();
    await expect(page.getByRole('combobox', { name: 'Category', exact: true }).textContent()).resolves.toMatch(/General|Choose here/);
    await screenshot(page, '5-edit-view-enumerations');

    const saved = page.waitForResponse((response) => response.request().method() === 'PUT' && response.url().includes(row.documentId));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    expect((await saved).status()).toBe(200);
    const stored = await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: row.id } });
    expect(stored.ticketStatus).toBe('in_progress');
    expect(problems).toEqual([]);
  });
});
