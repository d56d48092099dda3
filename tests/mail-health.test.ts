import path from 'node:path';
import { startHelpdesk, mailIngestion, type Helpdesk, type HttpResult } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';
import { SmtpSink } from './support/smtp-sink';
import { appendMails, composeMail, listMessages, mailLoopEnv, startDovecot, startImapRelay, type DovecotServer, type ImapRelay } from './support/dovecot';
import type { MailCheckResult, MailHealthView } from '../src/plugins/helpdesk/shared/contract';

/**
 * Settings → Helpdesk → Mailbox health, its API: the last check that read the mailbox and the last
 * that failed (recorded in the database), who holds the ingestion lease, the last day's mail by
 * outcome, and "Check now": one check through the cron task's code and lease, refused (409) when
 * email to ticket is off, when a check already runs here, or when another instance reads the
 * mailbox. Real Dovecot (behind a relay that can hold a fetch), real SMTP sink, real Chromium.
 */

const INBOUND = 'plugin::helpdesk.inbound-email';
const TICKET = 'plugin::helpdesk.ticket';
const SUPPORT = 'support@health.test';
const PASSWORD = 'Correct-Horse-9';
const ADMIN_EMAIL = 'health.admin@example.test';

describe('mailbox health and Check now', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  let relay: ImapRelay;
  let sink: SmtpSink;
  let admin: { id: number; token: string };
  /** Every answer of this suite, searched for the mailbox password at the end. */
  const answers: unknown[] = [];

  beforeAll(async () => {
    imap = await startDovecot();
    relay = await startImapRelay(imap);
    sink = new SmtpSink();
    const smtpPort = await sink.start();
    // ingestion reads the mailbox through the relay; the test's own IMAP helpers go straight to Dovecot
    helpdesk = await startHelpdesk({ env: { ...mailLoopEnv(imap, smtpPort, SUPPORT), IMAP_PORT: String(relay.port), EMAIL_TO_TICKET_CHECK_INTERVAL: '120' } });
    admin = await helpdesk.admin(ADMIN_EMAIL);
  }, 240_000);
  afterAll(async () => {
    await helpdesk?.stop();
    await relay?.close();
    await sink?.stop();
    await imap?.stop();
  });

  const call = async <T = { data: MailHealthView }>(method: string, url: string, token = admin.token): Promise<HttpResult<T>> => {
    const response = await helpdesk.request<T>(method, url, { token, body: method === 'POST' ? {} : undefined });
    answers.push(response.body);
    return response;
  };
  const health = async (): Promise<MailHealthView> => {
    const response = await call('GET', '/helpdesk-admin/settings/mail/health');
    expect(response.status).toBe(200);
    return response.body.data;
  };
  /** A 200's `data`, or a refusal's `error` (Strapi's error JSON, `data: null`). */
  type CheckAnswer = {
    data: MailCheckResult;
    error?: { status: number; name: string; message: string; details: { reason: string; holder?: { host: string; pid: number } } };
  };
  const checkNow = () => call<CheckAnswer>('POST', '/helpdesk-admin/settings/mail/check');
  const count = (view: MailHealthView, outcome: string) => view.lastDay.outcomes.find((entry) => entry.outcome === outcome)?.count;
  const mail = (i: number, extra: Record<string, unknown> = {}) =>
    composeMail({ from: `health${i}@customer.test`, to: SUPPORT, subject: `Health ${i}`, text: `mail ${i}`, messageId: `<health-${i}@customer.test>`, ...extra });

  it('shows the settings and nothing recorded before the first check', async () => {
    const view = await health();
    expect(view).toMatchObject({ enabled: true, active: true, checkIntervalSeconds: 120, problems: [], lastSuccess: null, lastError: null, holder: null });
    // every outcome, in the schema's order, as values the panel turns into words
    expect(view.lastDay.outcomes).toEqual(
      ['ticket_created', 'comment_added', 'bounce_recorded', 'ignored_duplicate', 'quarantined', 'too_large'].map((outcome) => ({ outcome, count: 0 }))
    );
    expect(view.lastDay.total).toBe(0);
    expect(Date.now() - Date.parse(view.lastDay.since)).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
  });

  it('checks now: reads the mailbox through the pipeline, records the success, counts the last day by outcome', async () => {
    const first = await mail(1);
    await appendMails(imap, 'INBOX', [first, await mail(2)]);
    const before = Date.now();
    const response = await checkNow();
    expect(response.status).toBe(200);
    const result = response.body.data;
    expect(result).toMatchObject({ ok: true, mails: 2, error: null });
    expect(Date.parse(result.health.lastSuccess!.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(result.health.lastSuccess!.mails).toBe(2);
    expect(count(result.health, 'ticket_created')).toBe(2);
    expect(result.health.lastDay.total).toBe(2);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(2);
    expect((await listMessages(imap, 'INBOX')).every((m) => m.flags.includes('\\Seen'))).toBe(true);
    // the lease was given back
    expect(result.health.holder).toBeNull();

    // the same mail again is a duplicate; a record older than a day is out of the window
    await appendMails(imap, 'INBOX', [first]);
    expect((await checkNow()).body.data).toMatchObject({ ok: true, mails: 1 });
    const old = (await helpdesk.strapi.db.query(INBOUND).findOne({ where: { messageId: '<health-2@customer.test>', outcome: 'ticket_created' } })) as { id: number };
    await helpdesk.strapi.db.query(INBOUND).update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) } });
    const view = await health();
    expect([count(view, 'ticket_created'), count(view, 'ignored_duplicate'), view.lastDay.total]).toEqual([1, 1, 2]);
    expect(view.lastSuccess?.mails).toBe(1);
    expect(view.lastError).toBeNull();
  });

  it('records a failed check with its time and error, keeping the last success', async () => {
    const success = (await health()).lastSuccess;
    await imap.halt();
    try {
      const before = Date.now();
      const response = await checkNow();
      // the check ran; its finding is the answer
      expect(response.status).toBe(200);
      expect(response.body.data.ok).toBe(false);
      expect(response.body.data.error).toEqual(expect.any(String));
      const view = response.body.data.health;
      expect(view.lastError?.message).toBe(response.body.data.error);
      expect(Date.parse(view.lastError!.at)).toBeGreaterThanOrEqual(before - 1000);
      expect(view.lastSuccess).toEqual(success);
      expect(await health()).toMatchObject({ lastError: view.lastError, lastSuccess: success });
    } finally {
      await imap.resume();
    }
    const recovered = (await checkNow()).body.data;
    expect(recovered.ok).toBe(true);
    expect(Date.parse(recovered.health.lastSuccess!.at)).toBeGreaterThan(Date.parse(recovered.health.lastError!.at));
  });

  it('refuses a second check while one runs on this server (409), and runs again once it is done', async () => {
    await appendMails(imap, 'INBOX', [await mail(3)]);
    const held = relay.holdFetch();
    const first = checkNow();
    const fetch = await held;
    // the first check is inside its fetch now
    const second = await checkNow();
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ data: null, error: { status: 409, name: 'ConflictError', details: { reason: 'running' } } });
    expect(second.body.error?.message).toMatch(/^A check of the mailbox is already running on this server \(since /);
    fetch.release();
    expect((await first).body.data).toMatchObject({ ok: true, mails: 1 });
    expect((await checkNow()).body.data).toMatchObject({ ok: true, mails: 0 });
  });

  it('refuses while another instance holds the ingestion lease (409 naming it) and reads nothing', async () => {
    // another instance's lease: its own holder id, on this host and pid
    const other = mailIngestion(helpdesk).holdMailbox(60_000);
    expect(await other.acquire()).toBe(true);
    try {
      await appendMails(imap, 'INBOX', [await mail(4)]);
      const recordsBefore = await helpdesk.strapi.db.query(INBOUND).count({});
      const response = await checkNow();
      expect(response.status).toBe(409);
      const error = response.body.error!;
      expect(error.details).toMatchObject({ reason: 'locked', holder: { pid: process.pid, host: expect.any(String) } });
      expect(error.message).toContain(`Another instance is reading the mailbox: ${error.details.holder?.host} pid ${process.pid}`);
      expect(await helpdesk.strapi.db.query(INBOUND).count({})).toBe(recordsBefore);
      // the panel names the holder too
      expect((await health()).holder).toMatchObject({ host: error.details.holder?.host, pid: process.pid });
    } finally {
      await other.release();
    }
    expect((await checkNow()).body.data).toMatchObject({ ok: true, mails: 1 });
    expect((await health()).holder).toBeNull();
  });

  it('refuses when email to ticket is off (409 saying so), and shows it off', async () => {
    const enabled = process.env.EMAIL_TO_TICKET_ENABLED;
    process.env.EMAIL_TO_TICKET_ENABLED = 'false';
    try {
      const response = await checkNow();
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: { details: { reason: 'off' }, message: 'Email to ticket is off: EMAIL_TO_TICKET_ENABLED is not true' } });
      expect(await health()).toMatchObject({ enabled: false, active: false });
    } finally {
      process.env.EMAIL_TO_TICKET_ENABLED = enabled;
    }
  });

  it('is for admins holding the settings permission: 401 without a session, 403 for an Editor', async () => {
    expect((await helpdesk.request('GET', '/helpdesk-admin/settings/mail/health')).status).toBe(401);
    expect((await helpdesk.request('POST', '/helpdesk-admin/settings/mail/check', { body: {} })).status).toBe(401);
    const editor = await helpdesk.strapi.service('admin::role').findOne({ code: 'strapi-editor' });
    await helpdesk.strapi.service('admin::user').create({ email: 'editor@health.test', firstname: 'Eddie', lastname: 'Editor', password: PASSWORD, isActive: true, roles: [editor.id] });
    const token = (await helpdesk.request('POST', '/admin/login', { body: { email: 'editor@health.test', password: PASSWORD } })).body.data.token;
    const successBefore = (await health()).lastSuccess;
    expect((await call('GET', '/helpdesk-admin/settings/mail/health', token)).status).toBe(403);
    expect((await call('POST', '/helpdesk-admin/settings/mail/check', token)).status).toBe(403);
    expect((await health()).lastSuccess).toEqual(successBefore);
  });

  describe('in Chromium: Settings → Helpdesk, Mailbox health', () => {
    let panel: Panel;
    beforeAll(async () => {
      panel = await openPanel(helpdesk.baseUrl);
      panel.page.on('response', async (response) => {
        if (new URL(response.url()).pathname.startsWith('/helpdesk-admin/')) answers.push(await response.text().catch(() => ''));
      });
    });
    afterAll(() => panel?.close());

    it('shows the health in words, and Check now shows the new last check', async () => {
      const { page } = panel;
      await panel.signIn(ADMIN_EMAIL, PASSWORD);
      await panel.dismissBanner();
      await page.goto('/admin/settings/helpdesk');
      await page.getByRole('heading', { name: 'Mailbox health' }).waitFor();
      const healthPanel = page.getByTestId('mail-health');
      await healthPanel.waitFor();

      // the last day's mail by outcome, in words
      const outcomes = healthPanel.getByRole('list', { name: 'Mails in the last 24 hours by outcome' });
      await outcomes.getByText('Ticket created', { exact: true }).waitFor();
      await outcomes.getByText('Duplicate, ignored', { exact: true }).waitFor();
      await outcomes.getByText('Quarantined', { exact: true }).waitFor();
      expect(await outcomes.textContent()).not.toMatch(/ticket_created|ignored_duplicate/);
      await healthPanel.getByText('Checked every 2 minutes').waitFor();
      expect(await page.getByTestId('mail-health-holder').textContent()).toBe('Nobody');
      // the outage of an earlier test, with its time
      const error = page.getByTestId('mail-health-error');
      expect(await error.getAttribute('data-at')).toBe((await health()).lastError?.at);

      const success = page.getByTestId('mail-health-success');
      const shownBefore = await success.getAttribute('data-at');
      expect(shownBefore).toBe((await health()).lastSuccess?.at);

      // a new mail, and Check now
      await appendMails(imap, 'INBOX', [await mail(5)]);
      await page.getByRole('button', { name: 'Check now' }).click();
      await page.getByText('Mailbox checked: 1 mail read').waitFor();
      await page.locator(`[data-testid="mail-health-success"]:not([data-at="${shownBefore}"])`).waitFor();
      const shownAfter = await success.getAttribute('data-at');
      expect(shownAfter).toBe((await health()).lastSuccess?.at);
      expect(Date.parse(shownAfter!)).toBeGreaterThan(Date.parse(shownBefore!));
      expect(await success.textContent()).toMatch(/: 1 mail read$/);
      expect(await helpdesk.strapi.db.query(INBOUND).count({ where: { messageId: '<health-5@customer.test>' } })).toBe(1);

      await page.getByText('Mailbox checked: 1 mail read').waitFor({ state: 'detached' });
      await healthPanel.scrollIntoViewIfNeeded();
      await page.mouse.move(0, 0);
      await panel.screenshot('mail-health', true);
      expect(panel.problems).toEqual([]);
    });
  });

  it('never sends the mailbox password to the browser', () => {
    expect(answers.length).toBeGreaterThan(15);
    expect(JSON.stringify(answers)).not.toContain(imap.password);
  });
});
