import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { SmtpSink } from '../support/smtp-sink';
import { settledOutboxRows } from '../support/outbox-rows';

const OUTBOX = 'plugin::helpdesk.outbound-email';
const USER = 'plugin::users-permissions.user';
const CAP = 3;
const NEW_PASSWORD = 'Battery-Staple-7';

interface OutboxRow {
  deliveryStatus: string;
  lastError: string | null;
  textBody: string;
  sealedSecrets: string | null;
}

/**
 * Issue 16, finding 8: account mails were outside the per-recipient cap (8 resets to one address
 * were all sent), and send-email-confirmation mailed links with registration off.
 */
describe('account mails under the cap, and no confirmation links with registration off', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        PUBLIC_REGISTRATION: undefined,
        PUBLIC_URL: 'https://help.example.test',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(port),
        AUTO_REPLY_CAP: String(CAP),
        // the attacker spreads the requests over addresses, as users-permissions limits 5 per address and IP
        TRUST_PROXY: 'true',
      },
    });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  /** POST from the client address `ip` (behind our trusted proxy). */
  const postFrom = async (ip: string, url: string, body: unknown) => {
    const response = await fetch(`${helpdesk.baseUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const rowsTo = async (to: string): Promise<OutboxRow[]> =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { to }, orderBy: { id: 'asc' } })) as OutboxRow[];
  const userRow = async (email: string) =>
    (await helpdesk.strapi.db.query(USER).findOne({ where: { email } })) as { resetPasswordToken: string | null; confirmationToken: string | null };

  it(`sends ${CAP} of 8 password-reset mails to one address and records the rest as suppressed, with the same answer`, async () => {
    const email = 'flooded-agent@example.test';
    await helpdesk.agent(email);
    const answers = [];
    for (let i = 1; i <= 8; i += 1) answers.push(await postFrom(`198.51.100.${i}`, '/api/auth/forgot-password', { email }));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(answers.map((answer) => answer.body)).toEqual(Array(8).fill({ ok: true }));

    // every mail is settled (sent or suppressed) before the count
    const rows = await settledOutboxRows<OutboxRow>(helpdesk.strapi, { to: email }, 30_000);
    expect(rows.map((row) => row.deliveryStatus)).toEqual([...Array(CAP).fill('sent'), ...Array(8 - CAP).fill('suppressed')]);
    for (const row of rows.slice(CAP)) {
      expect(row.lastError).toMatch(new RegExp(`^suppressed: ${CAP} automatic mails to this address in the last \\d+ minutes \\(cap ${CAP}\\)$`));
      expect(row.sealedSecrets).toBeNull();
    }
    const delivered = sink.messages.filter((message) => message.envelopeTo.includes(email));
    expect(delivered).toHaveLength(CAP);

    // the suppressed requests left the token alone: the last mail that went out still works
    const { resetPasswordToken } = await userRow(email);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(resetPasswordToken);
    const code = /\?code=([0-9a-f]{128})/.exec(delivered[CAP - 1].parsed.text ?? '')?.[1];
    expect(code).toBe(resetPasswordToken);
    const reset = await postFrom('198.51.100.99', '/api/auth/reset-password', { code, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    const login = await postFrom('198.51.100.99', '/api/auth/local', { identifier: email, password: NEW_PASSWORD });
    expect(login.status).toBe(200);
  });

  it(`keeps the cap when the 8 requests come at once`, async () => {
    const email = 'rushed-agent@example.test';
    await helpdesk.agent(email);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postFrom(`203.0.113.${i + 1}`, '/api/auth/forgot-password', { email }))
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    const rows = await rowsTo(email);
    expect(rows).toHaveLength(8);
    expect(rows.filter((row) => row.deliveryStatus !== 'suppressed')).toHaveLength(CAP);
  });

  it('refuses send-email-confirmation with a 403 while registration is off, and mails nothing', async () => {
    const role = (await helpdesk.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } })) as { id: number };
    await helpdesk.strapi.plugin('users-permissions').service('user').add({
      username: 'unconfirmed',
      email: 'unconfirmed@example.test',
      password: NEW_PASSWORD,
      provider: 'local',
      confirmed: false,
      blocked: false,
      role: role.id,
    });
    for (const email of ['unconfirmed@example.test', 'nobody@example.test']) {
      const response = await postFrom('198.51.100.50', '/api/auth/send-email-confirmation', { email });
      expect([email, response.status]).toEqual([email, 403]);
      expect(response.body).toMatchObject({ data: null, error: { status: 403, name: 'PolicyError', message: 'Registration is disabled' } });
      expect(await rowsTo(email)).toEqual([]);
    }
    expect((await userRow('unconfirmed@example.test')).confirmationToken).toBeNull();
  });
});
