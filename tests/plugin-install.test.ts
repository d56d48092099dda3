/**
 * Installable, proven: the helpdesk plugin, packed with `npm pack`, installed into another Strapi 5
 * app and run there.
 *
 * The other app is tests/support/host-app (plain JavaScript: its own SQLite file whatever
 * DATABASE_CLIENT says, the email provider pointed at an SMTP sink, the plugin's two request
 * guards in config/middlewares.js, a `comment` API of its own) copied into a temp folder.
 *
 * How the plugin gets in: a real `npm install <tarball>` (see tests/support/plugin-host.ts). The
 * app's node_modules is first made a hard-linked copy of this repository's (`cp -al`, 3 s: real
 * folders, so Strapi, which finds installed plugins by requiring `<name>/package.json` from its own
 * real path, looks in the app's node_modules as it does in a real install; symlinks into the
 * repository would make it look here instead). npm then runs offline, with nothing to download: it
 * unpacks the tarball into node_modules/strapi-plugin-helpdesk, records it in package.json and
 * removes the packages the app does not need (about 8 s; a full install of Strapi would take
 * minutes). The app's `strapi build` (about 70 s) bundles the plugin's admin from the installed
 * package (its dist/admin, built by strapi-plugin build). Strapi and the plugin, whose staff and
 * mail-ingestion services the tests call, are all loaded from the app's node_modules, never from
 * this repository.
 */
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Core, UID } from '@strapi/strapi';
import { chromium, type Browser, type Page } from 'playwright-core';
import { applyTestEnv } from './helpers/test-env';
import { CHROMIUM, SCREENSHOTS, UI_TIMEOUT } from './helpers/browser';
import { SmtpSink } from './support/smtp-sink';
import { appendMail, composeMail, imapEnv, listMessages, startDovecot, type DovecotServer } from './support/dovecot';
import { PLUGIN_PACKAGE, buildAdmin, hostAppFolder, linkRepositoryModules, npmInstall, packPlugin, writeHostApp } from './support/plugin-host';

type StrapiModule = typeof import('@strapi/strapi');
type StaffService = import('../src/plugins/helpdesk/server/src/services/staff').StaffService;
type MailIngestionService = import('../src/plugins/helpdesk/server/src/services/mail-ingestion').MailIngestionService;
type Outbox = import('../src/plugins/helpdesk/server/src/outbox/outbox').Outbox;

// plain JS shared with the benches and the CLI
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildHelpdeskPlugin, PLUGIN_DIR } = require('../scripts/compile') as { buildHelpdeskPlugin: () => void; PLUGIN_DIR: string };

const TICKET = 'plugin::helpdesk.ticket';
/** The app's own type: not in this repository's generated types. */
const HOST_COMMENT = 'api::comment.comment' as unknown as UID.ContentType;
const PLUGIN_COMMENT = 'plugin::helpdesk.comment';
/** The address the host app's config/plugins.js gives the helpdesk (`helpdesk.config.mail.from`). */
const HOST_SUPPORT = 'support@host-app.test';
const PASSWORD = 'Correct-Horse-9';

interface TicketRow {
  id: number;
  documentId: string;
  ticketNumber: string;
  subject: string;
  email: string;
  source: string;
  isGuest: boolean;
  ticketStatus: string;
}

describe('the helpdesk plugin installed from its npm tarball into another Strapi 5 app', () => {
  let appDir: string;
  let packDir: string;
  let tarball: string;
  let installLog: string;
  let strapi: Core.Strapi;
  let baseUrl: string;
  let imap: DovecotServer;
  let browser: Browser | undefined;
  const sink = new SmtpSink();
  const previousEnv: Record<string, string | undefined> = {};
  /** A service of the plugin as the app loaded it from its node_modules. */
  const installed = <T>(name: string): T => strapi.plugin('helpdesk').service(name) as unknown as T;
  let guestTicketNumber: string;
  /** The app's own comment, made by the table test; the panel test opens it. */
  let hostCommentId: string;

  const request = async <T>(method: string, url: string, options: { token?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };

  beforeAll(async () => {
    applyTestEnv();
    buildHelpdeskPlugin();
    appDir = hostAppFolder();
    packDir = fs.mkdtempSync(path.join(path.dirname(appDir), 'helpdesk-pack-'));
    tarball = await packPlugin(PLUGIN_DIR, packDir);
    writeHostApp(appDir);
    await linkRepositoryModules(appDir);
    installLog = await npmInstall(appDir, tarball);

    // the admin panel builds while the mail servers start
    const [, , dovecot] = await Promise.all([buildAdmin(appDir), sink.start(), startDovecot()]);
    imap = dovecot;

    // what the app's config reads (config/plugins.js: the email provider's SMTP port)
    for (const [key, value] of Object.entries({ HOST_APP_SMTP_PORT: String(sink.port), CRON_ENABLED: 'false' })) {
      previousEnv[key] = process.env[key];
      process.env[key] = value;
    }
    // Strapi from the app's node_modules: it finds the plugin there, through package.json's dependencies
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createStrapi } = require(path.join(appDir, 'node_modules', '@strapi', 'strapi')) as StrapiModule;
    strapi = await createStrapi({ appDir, distDir: appDir }).load();
    await new Promise<void>((resolve) => strapi.server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(strapi.server.httpServer.address() as AddressInfo).port}`;
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (strapi) {
      // entry events run after commit without being awaited: let the last ones finish
      await new Promise((resolve) => setTimeout(resolve, 300));
      await strapi.destroy();
    }
    await imap?.stop();
    await sink.stop();
    for (const [key, value] of Object.entries(previousEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    for (const dir of [appDir, packDir]) if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("passes the plugin SDK's own check of its package (strapi-plugin verify: exports map, built files)", () => {
    const cli = path.join(path.dirname(require.resolve('@strapi/sdk-plugin/package.json')), 'bin', 'strapi-plugin.js');
    const verify = spawnSync(process.execPath, [cli, 'verify'], { cwd: PLUGIN_DIR, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    expect(`${verify.stdout}${verify.stderr}`).toContain('Verified package.json');
    expect(verify.status).toBe(0);
  });

  it('is installed by npm from the tarball, as a dependency of the app, and loaded from there', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies[PLUGIN_PACKAGE]).toMatch(/^file:.*strapi-plugin-helpdesk-\d+\.\d+\.\d+\.tgz$/);
    const lock = JSON.parse(fs.readFileSync(path.join(appDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; integrity?: string }> };
    expect(lock.packages[`node_modules/${PLUGIN_PACKAGE}`]).toMatchObject({ resolved: expect.stringMatching(/\.tgz$/), integrity: expect.stringMatching(/^sha512-/) });
    // a copy unpacked from the tarball, not a link to the repository's plugin folder
    const packageDir = path.join(appDir, 'node_modules', PLUGIN_PACKAGE);
    expect(fs.lstatSync(packageDir).isDirectory()).toBe(true);
    // the bundles strapi-plugin build wrote, and none of the sources they were built from
    for (const file of ['dist/server/index.js', 'dist/admin/index.mjs', 'guest-form/index.html']) expect(fs.existsSync(path.join(packageDir, file))).toBe(true);
    for (const folder of ['server', 'admin', 'shared']) expect(fs.existsSync(path.join(packageDir, folder))).toBe(false);
    expect(installLog).not.toMatch(/ERR!|npm error/);

    const plugin = strapi.plugin('helpdesk');
    expect(plugin).toBeDefined();
    expect(strapi.dirs.app.root).toBe(appDir);
    // found as an installed dependency (no `resolve` in config/plugins.js), in the app's node_modules
    const enabled = strapi.config.get('enabledPlugins') as Record<string, { pathToPlugin?: string; info: { packageName?: string } }>;
    expect(enabled.helpdesk.info.packageName).toBe(PLUGIN_PACKAGE);
    expect(enabled.helpdesk.pathToPlugin).toBe(fs.realpathSync(packageDir));
    expect(Object.keys(strapi.contentTypes)).toEqual(expect.arrayContaining([TICKET, PLUGIN_COMMENT, HOST_COMMENT]));
  });

  it("serves the guest form page from the installed package's guest-form folder", async () => {
    const response = await fetch(`${baseUrl}/tickets/guest`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(fs.readFileSync(path.join(appDir, 'node_modules', PLUGIN_PACKAGE, 'guest-form', 'index.html'), 'utf8'));
  });

  it('takes a guest ticket at POST /api/tickets/guest and mails the confirmation through the app\'s email provider', async () => {
    const response = await request<{ data: { ticketNumber: string; ticketStatus: string; subject: string } }>('POST', '/api/tickets/guest', {
      body: {
        data: {
          firstName: 'Grace',
          lastName: 'Guest',
          email: 'Grace.Guest@example.test',
          phone: '+49 30 1234567',
          company: 'Example GmbH',
          subject: 'Printer in the host app is on fire',
          description: 'The office printer is on fire again, please help.',
          priority: 'high',
        },
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({ ticketStatus: 'new', subject: 'Printer in the host app is on fire' });
    expect(response.body.data.ticketNumber).toMatch(/^TKT-\d{4}-\d{5}$/);
    guestTicketNumber = response.body.data.ticketNumber;

    const ticket = (await strapi.db.query(TICKET).findOne({ where: { ticketNumber: guestTicketNumber } })) as TicketRow;
    expect(ticket).toMatchObject({ isGuest: true, source: 'web', email: 'grace.guest@example.test' });

    const [mail] = await sink.waitFor(1);
    expect(mail.envelopeTo).toEqual(['grace.guest@example.test']);
    expect(mail.parsed.subject).toBe(`[${guestTicketNumber}] We received your request: Printer in the host app is on fire`);
    expect(mail.parsed.text).toContain(guestTicketNumber);
    // the sender the app configured for the plugin, not the plugin's default
    expect(mail.parsed.from?.value[0].address).toBe(HOST_SUPPORT);
  });

  it('lets an agent made by the installed plugin sign in and list tickets', async () => {
    await installed<StaffService>('staff').createAgent({ email: 'agent@host-app.test', password: PASSWORD, name: 'Host Agent' });
    const login = await request<{ jwt: string; user: { email: string } }>('POST', '/api/auth/local', {
      body: { identifier: 'agent@host-app.test', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.email).toBe('agent@host-app.test');

    const anonymous = await request('GET', '/api/tickets');
    expect(anonymous.status).toBe(403);
    const list = await request<{ data: Array<{ ticketNumber: string; subject: string }> }>('GET', '/api/tickets', { token: login.body.jwt });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ ticketNumber: guestTicketNumber, subject: 'Printer in the host app is on fire' });
  });

  it("keeps the app's own comment type apart from the plugin's: its own table, its own rows", async () => {
    const created = await strapi.documents(HOST_COMMENT).create({ data: { author: 'Hana Host', body: 'Nice post!' } as never });
    hostCommentId = created.documentId;
    const read = await strapi.documents(HOST_COMMENT).findOne({ documentId: created.documentId });
    expect(read).toMatchObject({ documentId: created.documentId, author: 'Hana Host', body: 'Nice post!' });

    expect(strapi.db.metadata.get(HOST_COMMENT).tableName).toBe('comments');
    expect(strapi.db.metadata.get(PLUGIN_COMMENT).tableName).toBe('helpdesk_comments');
    const knex = strapi.db.connection;
    expect(await knex.schema.hasTable('comments')).toBe(true);
    expect(await knex.schema.hasTable('helpdesk_comments')).toBe(true);
    const count = async (table: string) => Number(((await knex(table).count({ n: '*' })) as Array<{ n: number | string }>)[0].n);
    expect(await count('comments')).toBe(1);
    // the app's comment went into its table only
    expect(await count('helpdesk_comments')).toBe(0);
    expect(await strapi.db.query(PLUGIN_COMMENT).count({})).toBe(0);
    expect(await strapi.db.query(HOST_COMMENT).count({})).toBe(1);

    // Its REST API answers at /api/comments with its own rows. The plugin's core comment routes claim
    // the same paths (GET/POST /api/comments, GET /api/comments/:id, mounted with prefix ''); the
    // app's routes are registered first and win, so in this app those plugin routes are unreachable.
    // Tickets' own comment routes (/api/tickets/:documentId/comments) are not affected.
    const publicRole = (await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as { id: number };
    await strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'api::comment.comment.find', role: publicRole.id } });
    const listed = await request<{ data: Array<{ documentId: string; author: string }> }>('GET', '/api/comments');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ documentId: created.documentId, author: 'Hana Host', body: 'Nice post!' })]);
  });

  it('turns a mail appended to the mailbox into a ticket, with the installed mail pipeline', async () => {
    const ingestion = installed<MailIngestionService>('mail-ingestion');
    const config = ingestion.readConfig({ EMAIL_TO_TICKET_ENABLED: 'true', SUPPORT_EMAIL: HOST_SUPPORT, ...imapEnv(imap) });
    const { imap: mailbox } = config;
    if (!mailbox) throw new Error(`no mailbox configured: ${config.missing.join(', ')}`);

    await appendMail(
      imap,
      'INBOX',
      await composeMail({
        from: '"Ivy Inbound" <Ivy@Customer.test>',
        to: HOST_SUPPORT,
        subject: 'Mail into the host app',
        text: 'My order never arrived.\n\nIvy',
        messageId: '<host-app-first@customer.test>',
      })
    );
    const report = await ingestion.ingest({ ...config, imap: mailbox });
    // the outbox as the plugin's cron task runs it (cron is off in the app)
    const outbox = strapi.service('plugin::helpdesk.outbound-email') as unknown as Outbox;
    for (let round = 0; round < 10; round += 1) {
      const delivery = await outbox.deliverDue();
      if (delivery.sent + delivery.retried + delivery.failed === 0) break;
    }
    expect(report).toMatchObject({ skipped: null, fetched: 1 });
    expect(report.outcomes.ticket_created).toBe(1);

    const ticket = (await strapi.db.query(TICKET).findOne({ where: { subject: 'Mail into the host app' } })) as TicketRow;
    expect(ticket).toMatchObject({ source: 'email', email: 'ivy@customer.test', isGuest: true, ticketStatus: 'new' });
    expect((await listMessages(imap, 'INBOX')).map((message) => message.flags)).toEqual([expect.arrayContaining(['\\Seen'])]);
    // the auto-reply, in the customer's thread
    const mails = await sink.waitFor(2);
    const reply = mails.find((mail) => mail.envelopeTo.includes('ivy@customer.test'));
    expect(reply?.parsed.subject).toBe(`[${ticket.ticketNumber}] We received your request: Mail into the host app`);
    expect(reply?.parsed.inReplyTo).toBe('<host-app-first@customer.test>');
  });

  it("shows the Helpdesk inbox in the app's own built admin panel", async () => {
    // the app's build took the plugin's admin from the installed package
    const entry = fs.readFileSync(path.join(appDir, '.strapi', 'client', 'app.js'), 'utf8');
    expect(entry).toContain(`from "${PLUGIN_PACKAGE}/strapi-admin"`);
    expect(fs.existsSync(path.join(appDir, 'build', 'index.html'))).toBe(true);

    const superAdmin = (await strapi.service('admin::role').getSuperAdmin()) as { id: number };
    await strapi.service('admin::user').create({
      email: 'ada@host-app.test',
      firstname: 'Ada',
      lastname: 'Admin',
      password: PASSWORD,
      isActive: true,
      roles: [superAdmin.id],
    });

    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    await context.route((url) => url.origin !== baseUrl, (route) => route.abort());
    const page: Page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));

    await page.goto('/admin', { timeout: UI_TIMEOUT });
    await page.locator('input[name="email"]').fill('ada@host-app.test');
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.getByText(/^Hello /).waitFor();

    const inboxAnswer = page.waitForResponse((response) => new URL(response.url()).pathname === '/helpdesk-admin/tickets');
    await page.getByRole('link', { name: 'Helpdesk' }).click();
    expect((await inboxAnswer).status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/admin/helpdesk');
    const rows = page.getByRole('grid').locator('tbody tr');
    await rows.and(page.locator(`[data-ticket="${guestTicketNumber}"]`)).waitFor();
    await page.getByRole('link', { name: 'Printer in the host app is on fire' }).waitFor();
    expect(await rows.count()).toBe(2);

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'plugin-install-inbox.png'), fullPage: true });

    // The helpdesk's words for its enumerations are scoped to its own types: the app's comment
    // moderation values (open, pending, closed: spelled like ticket statuses) keep Strapi's display,
    // in the list and in the edit view.
    const hostList = `/admin/content-manager/collection-types/${HOST_COMMENT}`;
    await page.goto(hostList, { timeout: UI_TIMEOUT });
    const hostRow = page.getByRole('grid').locator('tbody tr').filter({ hasText: 'Hana Host' });
    await hostRow.waitFor();
    expect((await hostRow.locator('td').allTextContents()).map((text) => text.trim())).toContain('pending');
    await page.goto(`${hostList}/${hostCommentId}`, { timeout: UI_TIMEOUT });
    const moderation = page.getByRole('combobox', { name: 'moderation', exact: true });
    await expect(moderation.textContent()).resolves.toBe('pending');
    await moderation.click();
    const offered = (await page.getByRole('listbox').getByRole('option').allTextContents()).map((text) => text.trim());
    expect(offered).toEqual(['Choose here', 'open', 'pending', 'closed']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'plugin-install-host-enumeration.png'), fullPage: true });
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });
});
