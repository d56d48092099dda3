import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

/**
 * The guest form page (public/tickets/guest) in a real browser: Debian's Chromium driven by
 * playwright-core, against a real Strapi. Install the browser with `apt-get install -y chromium`.
 */

const TICKET = 'plugin::helpdesk.ticket';
const SETTINGS = 'plugin::helpdesk.helpdesk-setting';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRED = ['firstName', 'lastName', 'email', 'phone', 'company', 'subject', 'description'];

/** Every visible control, by the text of its label, and the id it must resolve to. */
const LABELS: Array<[label: string, id: string]> = [
  ['First name', 'firstName'],
  ['Last name', 'lastName'],
  ['Email', 'email'],
  ['Phone', 'phone'],
  ['Company', 'company'],
  ['Branch', 'branch'],
  ['Subject', 'subject'],
  ['Description', 'description'],
  ['Priority', 'priority'],
  ['Category', 'category'],
];

describe('guest form page', () => {
  let helpdesk: Helpdesk;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    helpdesk = await startHelpdesk({ env: { GUEST_RATE_LIMIT_MAX: '1000' } });

    // A single type: update the one document if there is one, otherwise create it.
    const documents = helpdesk.strapi.documents(SETTINGS);
    const existing = await documents.findFirst({});
    if (existing) await documents.update({ documentId: existing.documentId, data: { companyName: 'Example Corp' } } as never);
    else await documents.create({ data: { companyName: 'Example Corp' } } as never);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({
      baseURL: helpdesk.baseUrl,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await helpdesk?.stop();
  });

  beforeEach(async () => {
    page = await context.newPage();
    problems = [];
    // CSP violations ("Refused to ...") and script errors show up here; HTTP statuses are checked by the tests
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto('/tickets/guest');
    await page.waitForSelector('h1:has-text("Example Corp")'); // branding loaded
  });

  afterEach(async () => {
    await page?.close();
  });

  const ticketCount = () => helpdesk.strapi.db.query(TICKET).count({});

  it('shows the company name, and every visible control has a label', async () => {
    expect((await page.textContent('h1'))?.trim()).toBe('Contact Example Corp Support');
    expect(await page.title()).toBe('Contact Example Corp Support');
    expect(await page.getAttribute('meta[name="viewport"]', 'content')).toContain('width=device-width');

    for (const [label, id] of LABELS) {
      const control = page.getByLabel(label, { exact: false });
      expect(await control.count()).toBe(1);
      expect(await control.getAttribute('id')).toBe(id);
      expect(await control.isVisible()).toBe(true);
    }

    // no other visible control, apart from the honeypot (off-screen, out of the tab order)
    const visible = await page.$$eval('input, select, textarea', (elements) =>
      elements
        .filter((element) => {
          const box = element.getBoundingClientRect();
          return box.width > 1 && box.height > 1 && box.right > 0 && box.bottom > 0;
        })
        .map((element) => element.id)
    );
    expect(visible.sort()).toEqual(LABELS.map(([, id]) => id).sort());

    const honeypot = page.locator('input[name="website"]');
    expect(await honeypot.getAttribute('tabindex')).toBe('-1');
    expect(await honeypot.getAttribute('autocomplete')).toBe('off');
    expect(await honeypot.getAttribute('aria-hidden')).toBe('true');

    // required fields: marked for people and for assistive technology; the form does not block an empty submit
    for (const name of REQUIRED) {
      expect(await page.getAttribute(`#${name}`, 'aria-required')).toBe('true');
      expect(await page.textContent(`label[for="${name}"] .req[aria-hidden="true"]`)).toBe('*');
    }
    expect(await page.getAttribute('#guest-form', 'novalidate')).not.toBeNull();
    expect(await page.inputValue('#priority')).toBe('medium');
    expect(await page.getAttribute('#form-status', 'aria-live')).toBe('polite');

    // the page fits the phone's width
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);

    expect(problems).toEqual([]);
  });

  it('shows the server errors inline when submitted empty, and creates nothing', async () => {
    const before = await ticketCount();
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.waitForSelector('#error-summary', { state: 'visible' });
    await page.waitForSelector('#submit-button:enabled');

    for (const name of REQUIRED) {
      const error = page.locator(`#error-${name}`);
      expect(await error.isVisible()).toBe(true);
      expect((await error.textContent())?.trim()).not.toBe('');
      const input = page.locator(`#${name}`);
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      expect((await input.getAttribute('aria-describedby'))?.split(/\s+/)).toContain(`error-${name}`);
    }
    expect(await page.textContent('#error-email')).toContain('must be a valid email address');
    for (const name of ['branch', 'priority', 'category']) {
      expect(await page.getAttribute(`#${name}`, 'aria-invalid')).toBeNull();
      expect(await page.locator(`#error-${name}`).isVisible()).toBe(false);
    }
    expect(await page.locator('#error-summary-list li').count()).toBe(REQUIRED.length);
    expect(await page.textContent('#form-status')).toContain(`${REQUIRED.length} errors`);
    expect(await page.locator('#success-view').isVisible()).toBe(false);
    expect(await ticketCount()).toBe(before);
    expect(problems).toEqual([]);
  });

  it('submits a filled form, disables the button meanwhile, and shows the ticket number', async () => {
    const before = await ticketCount();
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Email').fill('grace.hopper@example.test');
    await page.getByLabel('Phone').fill('+49 30 1234567');
    await page.getByLabel('Company').fill('Example GmbH');
    await page.getByLabel('Branch').fill('Berlin');
    await page.getByLabel('Subject').fill('Printer on fire');
    await page.getByLabel('Description').fill('The office printer is on fire again, please help.');
    await page.getByLabel('Priority').selectOption({ label: 'High' });
    await page.getByLabel('Category').selectOption({ label: 'Bug' });

    let posted: unknown;
    await page.route('**/api/tickets/guest', async (route) => {
      posted = route.request().postDataJSON();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });

    const button = page.getByRole('button', { name: 'Submit ticket' });
    await button.click();
    expect(await page.isDisabled('#submit-button')).toBe(true);
    expect(await page.textContent('#submit-button')).toBe('Submitting…');

    await page.waitForSelector('#ticket-number', { state: 'visible' });
    const ticketNumber = (await page.textContent('#ticket-number'))?.trim() ?? '';
    expect(ticketNumber).toMatch(/^TKT-\d{4}-\d{5}$/);
    expect(await page.locator('#guest-form').isVisible()).toBe(false);
    expect(await page.textContent('#success-view')).toMatch(/confirmation email has been sent to grace\.hopper@example\.test/);

    expect(posted).toEqual({
      data: {
        firstName: 'Grace',
        lastName: 'Hopper',
        email: 'grace.hopper@example.test',
        phone: '+49 30 1234567',
        company: 'Example GmbH',
        branch: 'Berlin',
        subject: 'Printer on fire',
        description: 'The office printer is on fire again, please help.',
        priority: 'high',
        category: 'bug',
        website: '',
      },
    });

    const ticket = await helpdesk.strapi.db.query(TICKET).findOne({ where: { ticketNumber } });
    expect(ticket).toMatchObject({ isGuest: true, priority: 'high', category: 'bug', subject: 'Printer on fire' });
    expect(await ticketCount()).toBe(before + 1);
    expect(problems).toEqual([]);
  });

  it('says when to try again on 429, and gives a generic message on other errors', async () => {
    await page.getByLabel('First name').fill('Grace');
    const answers: Array<{ status: number; headers: Record<string, string>; body: unknown }> = [
      { status: 429, headers: { 'retry-after': '290' }, body: { data: null, error: { status: 429, name: 'RateLimitError', message: 'Too many' } } },
      { status: 500, headers: {}, body: { data: null, error: { status: 500, name: 'InternalServerError', message: '<b>boom</b>' } } },
    ];
    await page.route('**/api/tickets/guest', async (route) => {
      const answer = answers.shift()!;
      await route.fulfill({ status: answer.status, headers: answer.headers, contentType: 'application/json', body: JSON.stringify(answer.body) });
    });
    const button = page.getByRole('button', { name: 'Submit ticket' });

    await button.click();
    await page.waitForSelector('#form-status:has-text("too many submissions")');
    expect(await page.textContent('#form-status')).toMatch(/try again in 5 minutes/);
    await page.waitForSelector('#submit-button:enabled');

    await button.click();
    await page.waitForSelector('#form-status:has-text("something went wrong")');
    expect(await page.textContent('#form-status')).not.toContain('boom');
    await page.waitForSelector('#submit-button:enabled');
    expect(await page.locator('#guest-form').isVisible()).toBe(true);
    expect(await page.inputValue('#firstName')).toBe('Grace');
    expect(problems).toEqual([]);
  });
});
