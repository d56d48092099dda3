import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { SmtpSink } from '../support/smtp-sink';

const OUTBOX = 'plugin::helpdesk.outbound-email';
const SETTINGS = 'plugin::helpdesk.helpdesk-setting';
const NEW_PASSWORD = 'Battery-Staple-7';

/**
 * users-permissions' password-reset mail goes through the outbox, from SMTP_FROM, with a link on
 * the public address (Helpdesk settings' publicBaseUrl, else PUBLIC_URL). The link is read from the
 * mail as delivered: the outbox row shows the code masked (tests/security/account-mail-secrets.test.ts).
 */
describe('password reset', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        PUBLIC_URL: 'https://help.example.test',
        SMTP_FROM: 'help@example.test',
        SMTP_FROM_NAME: 'Example Help',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(port),
      },
    });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  const forgot = (email: string) => helpdesk.request('POST', '/api/auth/forgot-password', { body: { email } });
  const resetMails = (to: string) =>
    helpdesk.strapi.db.query(OUTBOX).findMany({ where: { to, templateKey: 'users-permissions:reset_password' }, orderBy: { id: 'asc' } });
  /** The text of the mail the SMTP server received for `to`. */
  const deliveredText = async (to: string): Promise<string> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const mail = sink.messages.find((message) => message.envelopeTo.includes(to));
      if (mail) return mail.parsed.text ?? '';
      if (Date.now() > deadline) throw new Error(`no mail delivered to ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  it('sends the reset mail through the outbox with a link on PUBLIC_URL; its code sets a new password', async () => {
    const email = 'reset-agent@example.test';
    await helpdesk.agent(email);
    expect((await forgot(email)).status).toBe(200);
    expect(await resetMails(email)).toHaveLength(1);
    const link = /https?:\/\/\S+?\?code=[0-9a-f]+/.exec(await deliveredText(email))?.[0];
    expect(link).toMatch(/^https:\/\/help\.example\.test\/reset-password\?code=[0-9a-f]{128}$/);

    const code = new URL(link!).searchParams.get('code');
    const reset = await helpdesk.request('POST', '/api/auth/reset-password', {
      body: { code, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD },
    });
    expect(reset.status).toBe(200);
    const login = await helpdesk.request('POST', '/api/auth/local', { body: { identifier: email, password: NEW_PASSWORD } });
    expect(login.status).toBe(200);
  });

  it('uses publicBaseUrl from Helpdesk settings when staff set it', async () => {
    const email = 'reset-agent2@example.test';
    await helpdesk.agent(email);
    const data = { publicBaseUrl: 'https://portal.example.test/' };
    const existing = await helpdesk.strapi.documents(SETTINGS).findFirst({});
    if (existing) await helpdesk.strapi.documents(SETTINGS).update({ documentId: existing.documentId, data } as never);
    else await helpdesk.strapi.documents(SETTINGS).create({ data } as never);
    expect((await forgot(email)).status).toBe(200);
    expect(await deliveredText(email)).toMatch(/https:\/\/portal\.example\.test\/reset-password\?code=[0-9a-f]{128}/);
  });

  it('answers an unknown address the same way and mails nothing', async () => {
    const response = await forgot('nobody@example.test');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(await resetMails('nobody@example.test')).toHaveLength(0);
  });

  it('sends users-permissions mails from SMTP_FROM', async () => {
    const emails = (await helpdesk.strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'email' })) as Record<
      string,
      { options: { from: { name: string; email: string } } }
    >;
    for (const key of ['reset_password', 'email_confirmation']) {
      expect([key, emails[key].options.from]).toEqual([key, { name: 'Example Help', email: 'help@example.test' }]);
    }
    const delivered = sink.messages.find((message) => message.envelopeTo.includes('reset-agent@example.test'));
    expect(delivered?.parsed.from?.value).toEqual([{ name: 'Example Help', address: 'help@example.test' }]);
  });
});
