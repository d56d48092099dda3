import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '..', '..', '.tmp', 'screenshots');
const TICKET = 'plugin::helpdesk.ticket';

/**
 * The guest form with GUEST_CHALLENGE=altcha, in Debian's Chromium: the self-hosted widget solves
 * the proof of work in the browser, the server verifies it, and the ticket is opened; a solution
 * cannot be sent twice.
 */
describe('guest form with the proof-of-work challenge', () => {
  let helpdesk: Helpdesk;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    helpdesk = await startHelpdesk({ env: { GUEST_CHALLENGE: 'altcha', GUEST_RATE_LIMIT_MAX: '1000' } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await (await browser.newContext({ baseURL: helpdesk.baseUrl, viewport: { width: 900, height: 1200 } })).newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await helpdesk?.stop();
  });

  it('solves the challenge in the browser and opens the ticket', async () => {
    await page.goto('/tickets/guest');
    await page.waitForSelector('altcha-widget', { state: 'attached' });
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel('Email').fill('ada@example.test');
    await page.getByLabel('Phone').fill('+44 20 1234567');
    await page.getByLabel('Company').fill('Analytical Engines');
    await page.getByLabel('Subject').fill('Proof of work');
    await page.getByLabel('Description').fill('Submitted through the challenge.');

    let posted: { data?: { altcha?: string } } | null = null;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/tickets/guest') && request.method() === 'POST') posted = request.postDataJSON() as typeof posted;
    });
    await page.locator('altcha-widget').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'guest-challenge-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.waitForSelector('#ticket-number', { state: 'visible', timeout: 60_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'guest-challenge-solved.png') });

    const ticketNumber = (await page.textContent('#ticket-number'))?.trim() ?? '';
    expect(ticketNumber).toMatch(/^TKT-\d{4}-\d{5}$/);
    const stored = await helpdesk.strapi.db.query(TICKET).findOne({ where: { ticketNumber } });
    expect(stored).toMatchObject({ subject: 'Proof of work', email: 'ada@example.test' });
    expect(problems).toEqual([]);

    // the same solution sent again (a bot replaying the browser's request) is refused
    const solution = (posted as { data?: { altcha?: string } } | null)?.data?.altcha;
    expect(typeof solution).toBe('string');
    const replay = await helpdesk.submitGuest((posted as unknown as Record<string, unknown>) ?? {});
    expect(replay.status).toBe(400);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(1);
  });
});
