import { randomUUID } from 'node:crypto';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';
import { SmtpSink, type CapturedMail } from './support/smtp-sink';
import { TEMPLATE_VARIABLES } from '../src/plugins/helpdesk/shared/template-catalog';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';
import { TEST_MAIL_WINDOW_MS, TEST_MAILS_PER_WINDOW } from '../src/plugins/helpdesk/server/src/back-office/templates/service';
import { awayFromWindowEnd } from './support/rate-window';

const TEMPLATE = 'plugin::helpdesk.email-template';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const PASSWORD = 'Correct-Horse-9';
const ADMIN_EMAIL = 'tina.templates@example.test';

/**
 * Issue 17, point 5: staff edit a template in the Content Manager beside its variables, a live
 * preview for a sample ticket and "Send me a test" (one mail to themselves, through the outbox).
 */
describe('email templates: preview and test mail', () => {
  let helpdesk: Helpdesk;
  let token: string;
  const sink = new SmtpSink();
  const outbox = () => helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
  const call = (method: string, url: string, body?: unknown) => helpdesk.request(method, url, { token, body });
  const outboxRows = () => helpdesk.strapi.db.query(OUTBOX).count({});
  /** Delivers what is due until the sink holds a mail with this Message-ID; returns every copy it got. */
  const delivered = async (messageId: string): Promise<CapturedMail[]> => {
    for (let i = 0; i < 50 && !sink.messages.some((mail) => mail.parsed.messageId === messageId); i += 1) await outbox().deliverDue();
    await outbox().deliverDue();
    return sink.messages.filter((mail) => mail.parsed.messageId === messageId);
  };

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', CRON_ENABLED: 'false' },
    });
    token = (await helpdesk.admin(ADMIN_EMAIL)).token;
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  it('previews a draft with the sample ticket: subject, escaped HTML, the text part, unknown variables; sends nothing', async () => {
    const before = await outboxRows();
    const response = await call('POST', '/helpdesk-admin/templates/preview', {
      data: {
        key: 'comment_notification',
        subject: 'Re: {subject}',
        body: '<p>{comment_body}</p><p>{status_change}</p><p>Ticket <a href="{ticket_url}">{ticket_number}</a> {agent_name}</p>',
      },
    });
    expect(response.status).toBe(200);
    const preview = response.body.data;
    expect(preview.subject).toBe(`Re: ${TEMPLATE_VARIABLES.subject.sample}`);
    expect(preview.html).toContain('<p>Hello Ada,<br>the technician comes tomorrow at 9.</p>');
    expect(preview.html).toContain(`<a href="${TEMPLATE_VARIABLES.ticket_url.sample}">TKT-2026-00042</a>`);
    expect(preview.text).toBe(
      [
        'Hello Ada,',
        'the technician comes tomorrow at 9.',
        '',
        'Status: moved from In progress to Pending.',
        '',
        `Ticket TKT-2026-00042 [${TEMPLATE_VARIABLES.ticket_url.sample}] {agent_name}`,
      ].join('\n')
    );
    // the assignee's name belongs to another template
    expect(preview.unknown).toEqual(['agent_name']);
    expect(await outboxRows()).toBe(before);
    expect(sink.messages).toHaveLength(0);
  });

  it('refuses bad input with a 400 naming the field, a template the helpdesk does not send, and callers without the settings permission', async () => {
    const bad = [
      { data: { key: 'ticket_confirmation', subject: 'S' } },
      { data: { key: 'ticket_confirmation', subject: 'S', body: 42 } },
      { data: { key: 'ticket_confirmation', subject: 'S', body: 'B', extra: 1 } },
      { data: { key: 'ticket_confirmation', subject: 'x'.repeat(301), body: 'B' } },
      { key: 'ticket_confirmation', subject: 'S', body: 'B' },
    ];
    for (const body of bad) {
      const response = await call('POST', '/helpdesk-admin/templates/preview', body);
      expect([JSON.stringify(body).slice(0, 60), response.status, response.body?.error?.name]).toEqual([JSON.stringify(body).slice(0, 60), 400, 'ValidationError']);
    }
    const missing = await call('POST', '/helpdesk-admin/templates/preview', { data: { key: 'ticket_confirmation', subject: 'S' } });
    expect(missing.body.error.details.errors.map((error: { path: string[] }) => error.path.join('.'))).toEqual(['body']);
    const retired = await call('POST', '/helpdesk-admin/templates/preview', { data: { key: 'auto_reply', subject: 'S', body: 'B' } });
    expect([retired.status, retired.body.error.message]).toEqual([400, 'auto_reply is not a template the helpdesk sends']);
    // a test mail without its click's id, or with an empty subject
    for (const data of [{ key: 'ticket_confirmation', subject: 'S', body: 'B' }, { key: 'ticket_confirmation', subject: ' ', body: 'B', requestId: randomUUID() }]) {
      expect((await call('POST', '/helpdesk-admin/templates/test-mail', { data })).status).toBe(400);
    }

    expect((await helpdesk.request('POST', '/helpdesk-admin/templates/preview', { body: { data: { key: 'ticket_confirmation', subject: 'S', body: 'B' } } })).status).toBe(401);
    const editor = await helpdesk.strapi.service('admin::role').findOne({ code: 'strapi-editor' });
    await helpdesk.strapi.service('admin::user').create({ email: 'eddie@example.test', firstname: 'Eddie', lastname: 'Editor', password: PASSWORD, isActive: true, roles: [editor.id] });
    const login = await helpdesk.request('POST', '/admin/login', { body: { email: 'eddie@example.test', password: PASSWORD } });
    const draft = { key: 'ticket_confirmation', subject: 'S', body: 'B', requestId: randomUUID() };
    for (const url of ['/helpdesk-admin/templates/preview', '/helpdesk-admin/templates/test-mail']) {
      expect([url, (await helpdesk.request('POST', url, { token: login.body.data.token, body: { data: draft } })).status]).toEqual([url, 403]);
    }
    expect(sink.messages).toHaveLength(0);
  });

  it('"Send me a test": the draft, unsaved, goes once through the outbox to the signed-in admin; the same click again sends nothing more', async () => {
    const requestId = randomUUID();
    const data = { key: 'ticket_confirmation', subject: 'Got it: {subject}', body: '<p>Dear {guest_name}, EDITED-WORDS for {ticket_number}.</p>', requestId };
    const first = await call('POST', '/helpdesk-admin/templates/test-mail', { data });
    expect(first.status).toBe(202);
    expect(first.body.data).toEqual({ to: ADMIN_EMAIL, subject: `[Test] Got it: ${TEMPLATE_VARIABLES.subject.sample}`, suppressed: null });
    // a retried request of the same click
    expect((await call('POST', '/helpdesk-admin/templates/test-mail', { data })).status).toBe(202);

    const rows = (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { templateKey: 'test:ticket_confirmation' } })) as Array<{ to: string; messageId: string }>;
    expect(rows.map((row) => row.to)).toEqual([ADMIN_EMAIL]);
    const mails = await delivered(rows[0].messageId);
    expect(mails).toHaveLength(1);
    expect(mails[0].envelopeTo).toEqual([ADMIN_EMAIL]);
    expect(mails[0].parsed.subject).toBe(`[Test] Got it: ${TEMPLATE_VARIABLES.subject.sample}`);
    expect(mails[0].parsed.text).toBe('Dear Ada, EDITED-WORDS for TKT-2026-00042.');
    expect(mails[0].parsed.html).toContain('<p>Dear Ada, EDITED-WORDS for TKT-2026-00042.</p>');
    // the stored template is untouched: a test is not a save
    expect((await helpdesk.strapi.db.query(TEMPLATE).findOne({ where: { key: 'ticket_confirmation' } })).body).not.toContain('EDITED-WORDS');
  });

  it('caps test mails at 10 per admin in 10 minutes (429 after that)', async () => {
    const send = () => call('POST', '/helpdesk-admin/templates/test-mail', { data: { key: 'status_changed', subject: 'S', body: '<p>B</p>', requestId: randomUUID() } });
    const statuses: number[] = [];
    // one went out in the test above, unless a new window had to be waited for (the cap counts per fixed window)
    const { waited } = await awayFromWindowEnd(TEST_MAIL_WINDOW_MS, 60_000);
    const room = TEST_MAILS_PER_WINDOW - (waited ? 0 : 1);
    for (let i = 0; i <= room; i += 1) statuses.push((await send()).status);
    expect(statuses).toEqual([...Array(room).fill(202), 429]);
    const refused = await send();
    expect([refused.status, refused.body.error.name]).toEqual([429, 'RateLimitError']);
    expect(await helpdesk.strapi.db.query(OUTBOX).count({ where: { templateKey: 'test:status_changed' } })).toBe(room);
  });
});

describe('email templates in the admin panel, in Chromium', () => {
  let helpdesk: Helpdesk;
  let panel: Panel;
  const sink = new SmtpSink();

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_FROM: 'support@helpdesk.test', CRON_ENABLED: 'false' },
    });
    await helpdesk.admin(ADMIN_EMAIL);
    panel = await openPanel(helpdesk.baseUrl);
  });
  afterAll(async () => {
    await panel?.close();
    await helpdesk?.stop();
    await sink.stop();
  });

  it('shows the variables and a live preview beside the edited body, and "Send me a test" mails the signed-in admin once', async () => {
    const { page } = panel;
    const template = await helpdesk.strapi.db.query(TEMPLATE).findOne({ where: { key: 'ticket_confirmation' } });
    await panel.signIn(ADMIN_EMAIL, PASSWORD);
    await page.goto(`/admin/content-manager/collection-types/${TEMPLATE}/${template.documentId}`);

    // the variables this template can use, with their meaning
    const variables = page.getByTestId('template-variables');
    await variables.getByText('{guest_name}', { exact: true }).waitFor();
    await expect(variables.innerText()).resolves.toContain(TEMPLATE_VARIABLES.guest_name.meaning);
    await expect(variables.innerText()).resolves.toContain('{ticket_url}');
    // the preview: the seeded template for the sample ticket
    await page.getByTestId('template-preview-subject').filter({ hasText: `[TKT-2026-00042] We received your request: ${TEMPLATE_VARIABLES.subject.sample}` }).waitFor();
    const preview = page.frameLocator('iframe[title="Mail preview"]');
    await preview.getByText('Hello Ada Lovelace,').waitFor();

    // typing in the body changes the preview, before any save
    await page.locator('textarea[name="body"]').fill('<p>Hi {guest_name}, BROWSER-EDIT for <b>{ticket_number}</b>. {no_such}</p>');
    await preview.getByText('Hi Ada, BROWSER-EDIT for TKT-2026-00042. {no_such}').waitFor();
    await page.getByTestId('template-preview-unknown').filter({ hasText: '{no_such}' }).waitFor();
    // the sandboxed preview runs no script of the template
    await page.locator('textarea[name="body"]').fill('<p>Hi {guest_name}, BROWSER-EDIT for <b>{ticket_number}</b>.</p><script>parent.document.title = "pwned"</script>');
    await preview.getByText('Hi Ada, BROWSER-EDIT for TKT-2026-00042.').waitFor();
    expect(await page.title()).not.toBe('pwned');

    await page.getByRole('button', { name: 'Send me a test' }).click();
    await page.getByTestId('template-test-result').filter({ hasText: `Sent to ${ADMIN_EMAIL} through the outbox.` }).waitFor();
    const [row] = (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { templateKey: 'test:ticket_confirmation' } })) as Array<{ messageId: string }>;
    const outbox = helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
    for (let i = 0; i < 50 && sink.messages.length === 0; i += 1) await outbox.deliverDue();
    await outbox.deliverDue();
    expect(sink.messages.map((mail) => [mail.envelopeTo[0], mail.parsed.messageId])).toEqual([[ADMIN_EMAIL, row.messageId]]);
    expect(sink.messages[0].parsed.text).toBe('Hi Ada, BROWSER-EDIT for TKT-2026-00042.');

    // the plain-text part, derived from the body
    await page.getByText('Plain-text part', { exact: true }).click();
    await page.getByTestId('template-preview-text').filter({ hasText: 'Hi Ada, BROWSER-EDIT for TKT-2026-00042.' }).waitFor();

    await page.setViewportSize({ width: 1440, height: 1400 });
    await page.evaluate('window.scrollTo(0, 0)');
    await panel.dismissBanner();
    await panel.screenshot('email-template-panel');
    // the harness's init script (localStorage, see helpers/browser.ts) runs in every frame, and the
    // sandboxed preview has no storage: that is the sandbox working, not a fault of the page
    const sandboxed = /The document is sandboxed and lacks the 'allow-same-origin' flag/;
    expect(panel.problems.filter((problem) => !sandboxed.test(problem))).toEqual([]);
  });
});
