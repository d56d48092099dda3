import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';

const OUTBOX = 'api::outbound-email.outbound-email';
const SETTINGS = 'api::helpdesk-setting.helpdesk-setting';
const NEW_PASSWORD = 'Battery-Staple-7';

/**
 * users-permissions' password-reset mail goes through the outbox, from SMTP_FROM, with a link on
 * the public address (Helpdesk settings' publicBaseUrl, else PUBLIC_URL).
 */
describe('password reset', () => {
  let helpdesk: Helpdesk;

  beforeAll(async () => {
    helpdesk = await startHelpdesk({
      env: { PUBLIC_URL: 'https://help.example.test', SMTP_FROM: 'help@example.test', SMTP_FROM_NAME: 'Example Help' },
    });
  });
  afterAll(() => helpdesk?.stop());

  const forgot = (email: string) => helpdesk.request('POST', '/api/auth/forgot-password', { body: { email } });
  const resetMails = (to: string) =>
    helpdesk.strapi.db.query(OUTBOX).findMany({ where: { to, templateKey: 'users-permissions:reset_password' }, orderBy: { id: 'asc' } });

  it('puts the reset mail in the outbox with a link on PUBLIC_URL; its code sets a new password', async () => {
    const email = 'reset-agent@example.test';
    await helpdesk.agent(email);
    expect((await forgot(email)).status).toBe(200);
    const [mail] = await resetMails(email);
    expect(mail).toBeDefined();
    const link = /https?:\/\/\S+?\?code=[0-9a-f]+/.exec(mail.textBody)?.[0];
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
    const [mail] = await resetMails(email);
    expect(mail.textBody).toMatch(/https:\/\/portal\.example\.test\/reset-password\?code=[0-9a-f]{128}/);
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
  });
});
