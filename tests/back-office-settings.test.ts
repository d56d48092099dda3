import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { startHelpdesk, type Helpdesk, type HttpResult } from './helpers/helpdesk';
import { freePort } from './support/smtp-sink';
import { openPanel, type Panel } from './helpers/browser';

/**
 * Settings → Helpdesk → General & mail, its API: GET/PUT the settings staff edit (validated: a bad
 * value is a 400 naming the field and nothing is saved), the mail configuration from the
 * environment with secrets masked, and "send test mail" straight through the configured SMTP
 * server (a real smtp-server here, with authentication) reporting what the server answered.
 *
 * Decision: a test mail that fails (connection refused, recipient refused) is still a 200, with
 * `ok: false` and the error text: the check ran, and its finding is the answer. A malformed
 * address is a 400.
 */

const SETTINGS = 'plugin::helpdesk.helpdesk-setting';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const SMTP_USER = 'mailer';
const SMTP_SECRET = 'smtp-Secret-7781';
const IMAP_SECRET = 'imap-Secret-4410';
const PASSWORD = 'Correct-Horse-9';

interface Received {
  to: string[];
  raw: string;
}

/** A real SMTP server that insists on the configured login and refuses one recipient with 550. */
class AuthSink {
  readonly received: Received[] = [];
  readonly logins: Array<{ user: string; password: string }> = [];
  private server: SMTPServer | null = null;

  async start(port: number): Promise<void> {
    this.server = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 50,
      onAuth: (auth, _session, callback) => {
        this.logins.push({ user: String(auth.username), password: String(auth.password) });
        if (auth.username === SMTP_USER && auth.password === SMTP_SECRET) callback(null, { user: SMTP_USER });
        else callback(new Error('Invalid username or password'));
      },
      onRcptTo: (address, _session, callback) => {
        if (address.address === 'nobody@example.test') {
          const error = new Error('5.1.1 <nobody@example.test>: mailbox unavailable') as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
        } else callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    expect((this.server as unknown as { server: { address(): AddressInfo } }).server.address().port).toBe(port);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('back office: settings API', () => {
  let helpdesk: Helpdesk;
  let admin: { id: number; token: string };
  const ADMIN_EMAIL = 'settings.admin@example.test';
  let sink: AuthSink;
  let smtpPort: number;
  /** Every answer of this suite, searched for secrets at the end. */
  const answers: unknown[] = [];

  beforeAll(async () => {
    smtpPort = await freePort();
    sink = new AuthSink();
    await sink.start(smtpPort);
    helpdesk = await startHelpdesk({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtpPort),
        SMTP_USERNAME: SMTP_USER,
        SMTP_PASSWORD: SMTP_SECRET,
        SMTP_FROM: 'desk@example.test',
        SMTP_FROM_NAME: 'Acme Desk',
        IMAP_HOST: 'imap.example.test',
        IMAP_PORT: '993',
        IMAP_USERNAME: 'inbox-reader',
        IMAP_PASSWORD: IMAP_SECRET,
        IMAP_FOLDER: 'Support',
        EMAIL_TO_TICKET_ENABLED: 'false',
        EMAIL_TO_TICKET_CHECK_INTERVAL: '120',
        SUPPORT_EMAIL: 'Help@Example.test',
      },
    });
    admin = await helpdesk.admin(ADMIN_EMAIL);
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink?.stop();
  });

  const call = async (method: string, url: string, body?: unknown): Promise<HttpResult> => {
    const response = await helpdesk.request(method, url, { token: admin.token, body });
    answers.push(response.body);
    return response;
  };
  const stored = () => helpdesk.strapi.db.query(SETTINGS).findMany({});

  it('reads the settings with their defaults before anybody saved any', async () => {
    const response = await call('GET', '/helpdesk-admin/settings');
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      companyName: 'Helpdesk',
      supportAddress: null,
      autoReplyEnabled: true,
      reopenOnRequesterReply: true,
      slaWarningMinutes: 60,
      notifyRequesterOnStatus: ['pending', 'resolved', 'closed', 'reopened'],
      slaPolicy: { high: { firstResponseHours: 4, resolutionHours: 24 } },
    });
  });

  it('saves a change through the settings service (what mail and SLA read), leaving the rest as it was', async () => {
    const response = await call('PUT', '/helpdesk-admin/settings', {
      data: {
        companyName: '  Acme Support ',
        supportAddress: 'Team@Acme.example',
        autoReplyEnabled: false,
        slaPolicy: { high: { firstResponseHours: 2, resolutionHours: 12 } },
        notifyRequesterOnStatus: ['resolved'],
        reopenOnRequesterReply: false,
        slaWarningMinutes: 30,
      },
    });
    expect(response.status).toBe(200);
    const expected = {
      companyName: 'Acme Support',
      supportAddress: 'team@acme.example',
      autoReplyEnabled: false,
      notifyRequesterOnStatus: ['resolved'],
      reopenOnRequesterReply: false,
      slaWarningMinutes: 30,
      // the other priorities keep their targets
      slaPolicy: { high: { firstResponseHours: 2, resolutionHours: 12 }, low: { firstResponseHours: 24, resolutionHours: 168 } },
    };
    expect(response.body.data).toMatchObject(expected);
    expect((await call('GET', '/helpdesk-admin/settings')).body.data).toMatchObject(expected);
    expect(await helpdesk.strapi.service(SETTINGS).current()).toMatchObject(expected);
    expect(await stored()).toHaveLength(1);

    // a second save updates the one row; '' clears an address
    const again = await call('PUT', '/helpdesk-admin/settings', { data: { supportAddress: '', publicBaseUrl: 'https://help.acme.example' } });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ ...expected, supportAddress: null, publicBaseUrl: 'https://help.acme.example' });
    expect(await stored()).toHaveLength(1);
  });

  it.each([
    [{ companyName: '' }, 'companyName'],
    [{ companyName: 'x'.repeat(201) }, 'companyName'],
    [{ supportAddress: 'not an address' }, 'supportAddress'],
    [{ publicBaseUrl: 'ftp://help.example' }, 'publicBaseUrl'],
    [{ autoReplyEnabled: 'yes' }, 'autoReplyEnabled'],
    [{ slaPolicy: { high: { firstResponseHours: -1, resolutionHours: 12 } } }, 'slaPolicy.high.firstResponseHours'],
    [{ slaPolicy: { high: { firstResponseHours: 2 } } }, 'slaPolicy.high.resolutionHours'],
    [{ slaPolicy: { low: { firstResponseHours: 48, resolutionHours: 24 } } }, 'slaPolicy.low.firstResponseHours'],
    [{ slaPolicy: { extreme: { firstResponseHours: 1, resolutionHours: 2 } } }, 'slaPolicy.extreme'],
    [{ notifyRequesterOnStatus: ['resolved', 'finished'] }, 'notifyRequesterOnStatus.1'],
    [{ notifyRequesterOnStatus: ['resolved', 'resolved'] }, 'notifyRequesterOnStatus'],
    [{ reopenOnRequesterReply: null }, 'reopenOnRequesterReply'],
    [{ slaWarningMinutes: -5 }, 'slaWarningMinutes'],
    [{ slaWarningMinutes: 7.5 }, 'slaWarningMinutes'],
    [{ slaWarningMinutes: 20_000 }, 'slaWarningMinutes'],
    [{ companyName: 'Fine', smtpPassword: 'x' }, 'smtpPassword'],
  ])('refuses %j with a 400 naming %s and saves nothing', async (data, field) => {
    const before = (await call('GET', '/helpdesk-admin/settings')).body.data;
    const rowsBefore = await stored();
    const response = await call('PUT', '/helpdesk-admin/settings', { data });
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    expect(response.body.error.details.errors.map((error: { path: string[] }) => error.path.join('.'))).toContain(field);
    expect((await call('GET', '/helpdesk-admin/settings')).body.data).toEqual(before);
    expect(await stored()).toEqual(rowsBefore);
  });

  it('refuses a body without data, or not JSON, with a 400', async () => {
    expect((await call('PUT', '/helpdesk-admin/settings', { companyName: 'Flat' })).status).toBe(400);
    expect((await call('PUT', '/helpdesk-admin/settings', '{oops')).status).toBe(400);
    expect((await call('GET', '/helpdesk-admin/settings')).body.data.companyName).toBe('Acme Support');
  });

  it('shows the mail configuration from the environment with the secrets masked', async () => {
    const response = await call('GET', '/helpdesk-admin/settings/mail');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      smtp: {
        deliveryEnabled: true,
        host: '127.0.0.1',
        port: smtpPort,
        secure: false,
        startTLS: false,
        user: SMTP_USER,
        password: '********',
        from: '"Acme Desk" <desk@example.test>',
      },
      imap: { host: 'imap.example.test', port: 993, user: 'inbox-reader', password: '********', folder: 'Support', processedFolder: null, ssl: true },
      emailToTicket: { enabled: false, active: false, checkIntervalSeconds: 120, problems: [], holder: null },
      supportEmail: 'help@example.test',
    });
  });

  it('sends a test mail straight through the SMTP server (not the outbox) and reports its answer', async () => {
    const outboxBefore = await helpdesk.strapi.db.query(OUTBOX).count({});
    const response = await call('POST', '/helpdesk-admin/settings/test-mail', { data: { to: 'Checker@Example.test' } });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ ok: true, to: 'checker@example.test', error: null, code: null });
    expect(response.body.data.response).toMatch(/^250 /);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0].to).toEqual(['checker@example.test']);
    expect(sink.received[0].raw).toMatch(/^Subject: Acme Support: test mail/m);
    expect(sink.received[0].raw).toMatch(/^From: "?Acme Desk"? <desk@example\.test>/m);
    // the configured login was used
    expect(sink.logins.at(-1)).toEqual({ user: SMTP_USER, password: SMTP_SECRET });
    expect(await helpdesk.strapi.db.query(OUTBOX).count({})).toBe(outboxBefore);
  });

  it("reports the server's refusal of a recipient", async () => {
    const response = await call('POST', '/helpdesk-admin/settings/test-mail', { data: { to: 'nobody@example.test' } });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ ok: false, to: 'nobody@example.test', code: 'EENVELOPE' });
    expect(response.body.data.response).toMatch(/^550 /);
    expect(response.body.data.error).toMatch(/mailbox unavailable/);
    expect(sink.received).toHaveLength(1);
  });

  it('refuses a malformed address with a 400 and sends nothing', async () => {
    for (const body of [{ data: { to: 'not-an-address' } }, { data: {} }, { to: 'a@example.test' }, { data: { to: 'a@example.test', cc: 'b@example.test' } }]) {
      const response = await call('POST', '/helpdesk-admin/settings/test-mail', body);
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
    }
    expect(sink.received).toHaveLength(1);
  });

  it('reports the connection error when the SMTP server is down', async () => {
    await sink.stop();
    const response = await call('POST', '/helpdesk-admin/settings/test-mail', { data: { to: 'checker@example.test' } });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ ok: false, response: null, messageId: null });
    expect(response.body.data.error).toMatch(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${smtpPort}`));
    expect(typeof response.body.data.code).toBe('string');
  });

  it('is for admins holding the settings permission: 401 without a session, 403 for an Editor', async () => {
    expect((await helpdesk.request('GET', '/helpdesk-admin/settings')).status).toBe(401);
    const editor = await helpdesk.strapi.service('admin::role').findOne({ code: 'strapi-editor' });
    await helpdesk.strapi.service('admin::user').create({
      email: 'editor@example.test',
      firstname: 'Eddie',
      lastname: 'Editor',
      password: PASSWORD,
      isActive: true,
      roles: [editor.id],
    });
    const login = await helpdesk.request('POST', '/admin/login', { body: { email: 'editor@example.test', password: PASSWORD } });
    const token = login.body.data.token;
    for (const [method, url, body] of [
      ['GET', '/helpdesk-admin/settings/mail', undefined],
      ['PUT', '/helpdesk-admin/settings', { data: { companyName: 'Hijacked' } }],
      ['POST', '/helpdesk-admin/settings/test-mail', { data: { to: 'x@example.test' } }],
    ] as const) {
      const response = await helpdesk.request(method, url, { token, body });
      answers.push(response.body);
      expect([url, response.status]).toEqual([url, 403]);
    }
    expect((await call('GET', '/helpdesk-admin/settings')).body.data.companyName).toBe('Acme Support');
  });

  describe('in Chromium: Settings → Helpdesk → General & mail', () => {
    let panel: Panel;
    beforeAll(async () => {
      // the SMTP server is back up (an earlier test stopped it)
      await sink.start(smtpPort);
      panel = await openPanel(helpdesk.baseUrl);
      panel.page.on('response', async (response) => {
        if (new URL(response.url()).pathname.startsWith('/helpdesk-admin/')) answers.push(await response.text().catch(() => ''));
      });
    });
    afterAll(() => panel?.close());

    it('saves a change, refuses a bad SLA target naming it, and the test-mail button shows the SMTP server answer', async () => {
      const { page } = panel;
      await panel.signIn(ADMIN_EMAIL, PASSWORD);
      // Strapi's own announcement banner: out of the screenshot
      await panel.dismissBanner();
      await page.goto('/admin/settings/helpdesk');
      await page.getByRole('heading', { name: 'General & mail' }).waitFor();

      // the env panel, masked
      await page.locator('[data-variable="SMTP_HOST"]').getByText('127.0.0.1').waitFor();
      expect(await page.locator('[data-variable="SMTP_PASSWORD"]').textContent()).toBe('********');
      expect(await page.locator('[data-variable="IMAP_PASSWORD"]').textContent()).toBe('********');

      // a change that saves
      const company = page.getByLabel('Company name');
      expect(await company.inputValue()).toBe('Acme Support');
      await company.fill('Acme Care');
      await page.getByLabel('Team notification address').fill('care@acme.example');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Helpdesk settings saved').waitFor();
      expect((await call('GET', '/helpdesk-admin/settings')).body.data).toMatchObject({ companyName: 'Acme Care', supportAddress: 'care@acme.example' });

      // a bad SLA target: refused, the field says why, nothing saved
      const resolution = page.getByLabel('high Resolution (hours)');
      await resolution.fill('1');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(/Not saved: /).waitFor();
      await page.getByText('must not exceed resolutionHours (the first reply cannot be due after the resolution)', { exact: true }).waitFor();
      expect((await call('GET', '/helpdesk-admin/settings')).body.data.slaPolicy.high).toEqual({ firstResponseHours: 2, resolutionHours: 12 });
      await resolution.fill('12');
      // changing the field settles its complaint
      await page.getByText('must not exceed resolutionHours (the first reply cannot be due after the resolution)', { exact: true }).waitFor({ state: 'detached' });

      // the live check
      const before = sink.received.length;
      await page.getByLabel('Send a test mail to').fill('desk.check@example.test');
      await page.getByRole('button', { name: 'Send test mail' }).click();
      const result = page.getByTestId('test-mail-result');
      await result.waitFor();
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await page.getByTestId('test-mail-response').textContent()).toMatch(/^250 /);
      expect(sink.received.length).toBe(before + 1);
      expect(sink.received.at(-1)?.to).toEqual(['desk.check@example.test']);
      expect(sink.received.at(-1)?.raw).toMatch(/^Subject: Acme Care: test mail/m);

      await page.getByText(/Not saved: /).waitFor({ state: 'detached' });
      await page.setViewportSize({ width: 1440, height: 2000 });
      await page.mouse.move(0, 0);
      await panel.screenshot('settings', true);
      await page.setViewportSize({ width: 1440, height: 900 });

      // the server down: the error text, in the UI
      await sink.stop();
      await page.getByRole('button', { name: 'Send test mail' }).click();
      await page.getByTestId('test-mail-error').getByText(/ECONNREFUSED/).waitFor();
      expect(await result.getAttribute('data-ok')).toBe('false');
      expect(panel.problems).toEqual([]);
    });
  });

  it('never sends a secret to the browser', () => {
    const text = JSON.stringify(answers);
    expect(answers.length).toBeGreaterThan(20);
    expect(text).not.toContain(SMTP_SECRET);
    expect(text).not.toContain(IMAP_SECRET);
  });
});
