import type { Core } from '@strapi/strapi';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { SmtpSink, type CapturedMail } from '../support/smtp-sink';
import { createStaffMember } from '../../src/plugins/helpdesk/server/src/access/staff-account';
import { secretPlaceholder } from '../../src/plugins/helpdesk/server/src/outbox/secrets';
import { getService } from '../../src/plugins/helpdesk/server/src/get-service';

const OUTBOX = 'plugin::helpdesk.outbound-email';
const USER = 'plugin::users-permissions.user';
const CM_OUTBOX = `/content-manager/collection-types/${OUTBOX}`;
const PASSWORD = 'Staff-Pass-42';
const NEW_PASSWORD = 'Battery-Staple-7';
const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'debug'] as const;

interface OutboxRow {
  id: number;
  documentId: string;
  to: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  headers: Record<string, string> | null;
  templateKey: string | null;
  deliveryStatus: string;
  lastError: string | null;
  sealedSecrets: string | null;
}

/** Every line Strapi is asked to log, at any level (also the levels LOG_LEVEL=warn drops). */
function recordEveryLog(lines: string[]): (strapi: Core.Strapi) => void {
  return (strapi) => {
    for (const level of LOG_LEVELS) {
      const log = strapi.log[level].bind(strapi.log);
      strapi.log[level] = ((message: unknown, ...rest: unknown[]) => {
        lines.push(message instanceof Error ? `${message.message}\n${message.stack}` : typeof message === 'string' ? message : JSON.stringify(message));
        return log(message as string, ...(rest as []));
      }) as typeof strapi.log.info;
    }
  };
}

/**
 * Issue 16, finding 1: password-reset codes and confirmation tokens were readable in the outbox,
 * so an Editor took over an agent account. Now the outbox stores such a secret only encrypted
 * (the body shows a placeholder), fills it in at send time and wipes it afterwards, and account
 * mails are hidden from every reader but the server.
 */
describe('account mails keep their secrets', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink({ rejectRecipients: ['bounced-agent@example.test'] });
  const logLines: string[] = [];
  const staff: Record<string, string> = {};
  let agentJwt: string;

  const adminLogin = async (email: string): Promise<string> => {
    const login = await helpdesk.request('POST', '/admin/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    return login.body.data.token as string;
  };
  const adminWithRole = async (email: string, code: string): Promise<string> => {
    const role = (await helpdesk.strapi.db.query('admin::role').findOne({ where: { code } })) as { id: number };
    await helpdesk.strapi.service('admin::user').create({ email, firstname: 'Staff', lastname: code, password: PASSWORD, isActive: true, roles: [role.id] });
    return adminLogin(email);
  };
  const outboxRows = async (where: Record<string, unknown> = {}): Promise<OutboxRow[]> =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({ where, orderBy: { id: 'asc' } })) as OutboxRow[];
  const accountMailRows = () => outboxRows({ templateKey: { $startsWith: 'users-permissions:' } });
  const deliveredTo = async (address: string): Promise<CapturedMail> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const mail = sink.messages.find((message) => message.envelopeTo.includes(address));
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`no mail delivered to ${address}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const settled = async (where: Record<string, unknown>): Promise<OutboxRow[]> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await outboxRows(where);
      if (rows.length > 0 && rows.every((row) => ['sent', 'failed'].includes(row.deliveryStatus))) return rows;
      if (Date.now() > deadline) throw new Error(`outbox rows ${JSON.stringify(where)} not delivered`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  /** The tokens as the user rows hold them: what an attacker would need. */
  const tokensOf = async (email: string) =>
    (await helpdesk.strapi.db.query(USER).findOne({ where: { email }, select: ['resetPasswordToken', 'confirmationToken', 'confirmed'] })) as {
      resetPasswordToken: string | null;
      confirmationToken: string | null;
      confirmed: boolean;
    };

  let resetCode: string;
  let confirmationToken: string;

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        PUBLIC_URL: 'https://help.example.test',
        PUBLIC_REGISTRATION: 'true',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(port),
        SMTP_FROM: 'help@example.test',
      },
      beforeLoad: recordEveryLog(logLines),
    });
    staff.superAdmin = (await helpdesk.admin('root@example.test')).token;
    staff.editor = await adminWithRole('editor@example.test', 'strapi-editor');
    staff.author = await adminWithRole('author@example.test', 'strapi-author');
    await createStaffMember(helpdesk.strapi, { email: 'support@example.test', password: PASSWORD, name: 'Sue Support' });
    staff.supportAgent = await adminLogin('support@example.test');
    agentJwt = (await helpdesk.agent('helper-agent@example.test')).jwt;

    // the attack's preparation: a reset for an agent, a registration, and an ordinary mail (a guest's confirmation)
    await helpdesk.agent('victim-agent@example.test');
    expect((await helpdesk.request('POST', '/api/auth/forgot-password', { body: { email: 'victim-agent@example.test' } })).status).toBe(200);
    const registered = await helpdesk.request('POST', '/api/auth/local/register', {
      body: { username: 'newbie', email: 'newbie@example.test', password: NEW_PASSWORD },
    });
    expect(registered.status).toBe(200);
    const guest = await helpdesk.submitGuest({
      data: {
        firstName: 'Grace',
        lastName: 'Guest',
        email: 'grace@example.test',
        phone: '+49 30 1234567',
        company: 'Example GmbH',
        subject: 'Printer on fire',
        description: 'The office printer is on fire again, please help.',
      },
    });
    expect(guest.status).toBe(201);
    await settled({ to: { $in: ['victim-agent@example.test', 'newbie@example.test', 'grace@example.test'] } });

    const victim = await tokensOf('victim-agent@example.test');
    const newbie = await tokensOf('newbie@example.test');
    expect(victim.resetPasswordToken).toMatch(/^[0-9a-f]{128}$/);
    expect(newbie.confirmationToken).toMatch(/^[0-9a-f]{40}$/);
    resetCode = victim.resetPasswordToken!;
    confirmationToken = newbie.confirmationToken!;
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  const expectNoSecret = (where: string, value: unknown) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    expect([where, text.includes(resetCode)]).toEqual([where, false]);
    expect([where, text.includes(confirmationToken)]).toEqual([where, false]);
  };

  it('stores account mails with the token masked and, once sent, no ciphertext', async () => {
    const rows = await accountMailRows();
    expect(rows.map((row) => [row.to, row.templateKey, row.deliveryStatus]).sort()).toEqual([
      ['newbie@example.test', 'users-permissions:email_confirmation', 'sent'],
      ['victim-agent@example.test', 'users-permissions:reset_password', 'sent'],
    ]);
    for (const row of rows) {
      expectNoSecret(`outbox row ${row.to}`, row);
      expect(row.textBody).toContain(secretPlaceholder('token'));
      expect(row.sealedSecrets).toBeNull();
    }
    const reset = rows.find((row) => row.to === 'victim-agent@example.test')!;
    expect(reset.textBody).toContain(`https://help.example.test/reset-password?code=${secretPlaceholder('token')}`);
  });

  it.each(['superAdmin', 'editor', 'author', 'supportAgent'])('shows %s no account mail and no secret in the Content Manager', async (who) => {
    const token = staff[who];
    const list = await helpdesk.request('GET', `${CM_OUTBOX}?page=1&pageSize=100`, { token });
    expect(list.status).toBe(200);
    expectNoSecret(`${who}: list`, list.body);
    const listed = list.body.results as Array<{ documentId: string; to: string; templateKey: string | null }>;
    expect(listed.filter((row) => row.templateKey?.startsWith('users-permissions:'))).toEqual([]);
    expect(list.body.pagination.total).toBe(listed.length);
    // other outbox rows stay readable by staff (an Author reads only what they created: nothing here)
    if (who !== 'author') expect(listed.map((row) => row.to)).toContain('grace@example.test');
    for (const row of listed) {
      const one = await helpdesk.request('GET', `${CM_OUTBOX}/${row.documentId}`, { token });
      expectNoSecret(`${who}: findOne ${row.to}`, one.body);
    }

    // asked for by documentId, by filter, or through their relations: still nothing
    for (const row of await accountMailRows()) {
      const one = await helpdesk.request('GET', `${CM_OUTBOX}/${row.documentId}`, { token });
      expectNoSecret(`${who}: findOne hidden ${row.to}`, one.body);
      expect(JSON.stringify(one.body)).not.toContain(row.to);
      const relations = await helpdesk.request('GET', `/content-manager/relations/${OUTBOX}/${row.documentId}/ticket`, { token });
      expectNoSecret(`${who}: relations of ${row.to}`, relations.body);
    }
    // nor through the accounts themselves (the tokens are private fields of the user rows)
    const users = await helpdesk.request('GET', `/content-manager/collection-types/${USER}?page=1&pageSize=100`, { token });
    expectNoSecret(`${who}: accounts`, users.body);
    if (who === 'superAdmin') expect(users.body.results.map((user: { email: string }) => user.email)).toContain('victim-agent@example.test');
    for (const user of (users.body.results ?? []) as Array<{ documentId: string }>) {
      const one = await helpdesk.request('GET', `/content-manager/collection-types/${USER}/${user.documentId}`, { token });
      expectNoSecret(`${who}: account ${user.documentId}`, one.body);
    }
    const filter = encodeURIComponent('filters[templateKey][$startsWith]');
    const filtered = await helpdesk.request('GET', `${CM_OUTBOX}?page=1&pageSize=100&${filter}=users-permissions`, { token });
    expectNoSecret(`${who}: filtered list`, filtered.body);
    if (filtered.status === 200) expect(filtered.body.results).toEqual([]);
  });

  it('offers no outbox over REST, to the public or to an agent', async () => {
    for (const url of ['/api/outbound-emails', '/api/outbound-emails?populate=*']) {
      for (const token of [undefined, agentJwt]) {
        const response = await helpdesk.request('GET', url, { token });
        expect([403, 404]).toContain(response.status);
        expectNoSecret(`REST ${url}`, response.body);
      }
    }
  });

  it('delivers a reset mail whose code sets a new password', async () => {
    const mail = await deliveredTo('victim-agent@example.test');
    const code = /https:\/\/help\.example\.test\/reset-password\?code=([0-9a-f]{128})/.exec(mail.parsed.text ?? '')?.[1];
    expect(code).toBe(resetCode);
    expect(mail.parsed.html || '').toContain(`code=${resetCode}`);
    const reset = await helpdesk.request('POST', '/api/auth/reset-password', { body: { code, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD } });
    expect(reset.status).toBe(200);
    const login = await helpdesk.request('POST', '/api/auth/local', { body: { identifier: 'victim-agent@example.test', password: NEW_PASSWORD } });
    expect(login.status).toBe(200);
  });

  it('delivers a confirmation mail whose link confirms the account', async () => {
    const mail = await deliveredTo('newbie@example.test');
    const link = /https:\/\/help\.example\.test\/api\/auth\/email-confirmation\?confirmation=[0-9a-f]{40}/.exec(mail.parsed.text ?? '')?.[0];
    expect(link).toBeDefined();
    const url = new URL(link!);
    expect(url.searchParams.get('confirmation')).toBe(confirmationToken);
    const confirmed = await fetch(`${helpdesk.baseUrl}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect([301, 302]).toContain(confirmed.status);
    expect((await tokensOf('newbie@example.test')).confirmed).toBe(true);
    const login = await helpdesk.request('POST', '/api/auth/local', { body: { identifier: 'newbie@example.test', password: NEW_PASSWORD } });
    expect(login.status).toBe(200);
  });

  it('wipes the ciphertext of a mail that failed for good, and its error names no token', async () => {
    await helpdesk.agent('bounced-agent@example.test');
    const linesBefore = logLines.length;
    expect((await helpdesk.request('POST', '/api/auth/forgot-password', { body: { email: 'bounced-agent@example.test' } })).status).toBe(200);
    const [row] = await settled({ to: 'bounced-agent@example.test' });
    const { resetPasswordToken } = await tokensOf('bounced-agent@example.test');
    expect(resetPasswordToken).toMatch(/^[0-9a-f]{128}$/);
    expect(row).toMatchObject({ deliveryStatus: 'failed', sealedSecrets: null });
    expect(row.lastError).toMatch(/550/);
    expect(JSON.stringify(row)).not.toContain(resetPasswordToken);
    const newLines = logLines.slice(linesBefore);
    expect(newLines.some((line) => line.includes('bounced-agent@example.test') && line.includes('failed for good'))).toBe(true);
    for (const line of newLines) expect(line).not.toContain(resetPasswordToken);
  });

  it('stores any mail secret only encrypted, and refuses one written into the mail as it is', async () => {
    const secret = 'magic-link-0123456789abcdef';
    const later = new Date(Date.now() + 3_600_000);
    const mail = {
      to: 'someone@example.test',
      subject: 'Your sign-in link',
      text: `Sign in: https://help.example.test/magic?t=${secretPlaceholder('link')}`,
      html: `<a href="https://help.example.test/magic?t=${secretPlaceholder('link')}">Sign in</a>`,
      messageId: '<magic-link-1@example.test>',
      templateKey: 'test:magic-link',
      secrets: { link: secret },
      notBefore: later,
    };
    await getService(helpdesk.strapi, 'outbox').enqueue(mail);
    const [row] = await outboxRows({ messageId: mail.messageId });
    expect(row.deliveryStatus).toBe('queued');
    expect(row.sealedSecrets).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.textBody).toBe(mail.text);

    await expect(
      getService(helpdesk.strapi, 'outbox').enqueue({ ...mail, messageId: '<magic-link-2@example.test>', text: `Sign in: https://help.example.test/magic?t=${secret}` })
    ).rejects.toThrow(/appears in the mail as it is/);
    expect(await outboxRows({ messageId: '<magic-link-2@example.test>' })).toEqual([]);
  });
  it('never logs a token, not even the request that used the confirmation link', () => {
    const confirmationRequest = logLines.find((line) => line.startsWith('GET /api/auth/email-confirmation'));
    expect(confirmationRequest).toMatch(/^GET \/api\/auth\/email-confirmation\?confirmation=\[hidden\] \(\d+ ms\) 302$/);
    for (const line of logLines) expectNoSecret('log line', line);
  });
});
