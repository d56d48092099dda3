import path from 'node:path';
import { performance } from 'node:perf_hooks';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { freshDatabase, startHelpdesk, mailIngestion, type Helpdesk, type TestDatabase } from '../helpers/helpdesk';
import { applyTestEnv } from '../helpers/test-env';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { yup } from '@strapi/utils';
import { isEmailAddress, normalizeMailAddress } from '../../src/plugins/helpdesk/server/src/validation/email-address';
import { appendMails, imapEnv, listMessages, startDovecot, type DovecotServer } from '../support/dovecot';
import type { IngestionConfig, ImapConfig } from '../../src/plugins/helpdesk/server/src/mail-ingestion/config';

/**
 * Issue 16, finding 0: Strapi's own email validators (yup's .email() behind users-permissions, the
 * admin's routes and the `email` attribute type) backtrack exponentially on a quoted local part
 * with a trailing `>`. 40 characters blocked the event loop for 8.8 s on POST /admin/forgot-password;
 * the 60 used here would block it for hours. Every route that takes an address answers a 400 from
 * the linear pre-check instead, `/_health` keeps answering meanwhile, and such a From gives a
 * ticket with no reply address at once (issue 17: never quarantined for its From).
 */
const CRAFTED_LENGTH = 60;

/** `"Millions Lottery Spain tr…"@example.com>` of `length` characters (40: the issue's own example). */
function craftedAddress(length: number): string {
  const text = 'Millions Lottery Spain transfer money now to claim your prize';
  const suffix = '"@example.com>';
  return `"${text.slice(0, length - suffix.length - 1)}${suffix}`;
}

const CRAFTED = craftedAddress(CRAFTED_LENGTH);
/** A real spam mail's sender: `"Millions Lottery Spain transfer"@example.com>`. */
const SPAM_FROM = craftedAddress(46);
const AGENT = { email: 'redos-agent@example.test', password: 'Correct-Horse-9' };
const ADMIN = { email: 'redos-admin@example.test', firstname: 'Ada', lastname: 'Admin', password: 'Correct-Horse-9' };

interface Attack {
  label: string;
  method: string;
  url: string;
  body: Record<string, unknown>;
  /** The field the 400 names. */
  field: string;
  auth?: 'admin' | 'agent';
  form?: boolean;
}

interface ErrorBody {
  data: null;
  error: { status: number; name: string; message: string; details: { errors?: Array<{ path: string[]; message: string }> } };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

describe('the linear pre-check (src/validation/email-address.ts)', () => {
  it('takes ordinary addresses and refuses crafted ones', () => {
    for (const good of ['olga@customer.test', 'O.Brien+tickets@Mail.Example.co.uk', "x_y-z!#$%&'*/=?^`{|}~@a-b.xn--p1ai"]) {
      expect([good, isEmailAddress(good)]).toEqual([good, true]);
    }
    const bad = [CRAFTED, craftedAddress(40), '"bob"@example.com', 'bob@example.com ', 'bob@localhost', 'bob@example.c0', 'a..b@example.com', 'a@@example.com', `${'a'.repeat(250)}@x.io`, `x@${'a.'.repeat(60)}1`];
    for (const value of bad) expect([value, isEmailAddress(value)]).toEqual([value, false]);
  });

  it("accepts only what Strapi's own validator (yup) accepts, so a checked address never backtracks there", () => {
    // a fixed pseudo-random sequence: the same 3,000 candidates on every run, many near the rule's edges
    let seed = 16;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = (chars: string) => chars[Math.floor(random() * chars.length)];
    const word = (chars: string, max: number) => Array.from({ length: 1 + Math.floor(random() * max) }, () => pick(chars)).join('');
    const label = () => (random() < 0.8 ? `${pick('abz')}${random() < 0.5 ? word('aZ09-', 6) : ''}${pick('aZ09')}` : word('aZ09-', 4));
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const local = Array.from({ length: 1 + Math.floor(random() * 3) }, () => word("aZ09!#$%&'*+/=?^_`{|}~-", 8)).join('.');
      const domain = [...Array.from({ length: 1 + Math.floor(random() * 20) }, label), word('aZ9-', 4)].join('.');
      const address = `${local}@${domain}`;
      if (!isEmailAddress(address)) continue;
      accepted += 1;
      expect([address, yup.string().email().isValidSync(address)]).toEqual([address, true]);
    }
    expect(accepted).toBeGreaterThan(200);
  });

  it('normalises what mail headers carry, and is linear on 100 KB of hostile input', () => {
    expect(normalizeMailAddress('Bob@Example.com.')).toBe('bob@example.com');
    expect(normalizeMailAddress('carol@customer.test>')).toBe('carol@customer.test');
    expect(normalizeMailAddress('"dave"@customer.test')).toBe('dave@customer.test');
    expect(normalizeMailAddress('erik@bücher.de')).toBe('erik@xn--bcher-kva.de');
    expect(normalizeMailAddress(craftedAddress(46))).toBeNull();
    const hostile = `"${'a '.repeat(50_000)}"@x.com${'>'.repeat(50_000)}x`;
    const started = performance.now();
    expect(isEmailAddress(hostile)).toBe(false);
    expect(normalizeMailAddress(hostile)).toBeNull();
    expect(isEmailAddress(`x@${'a.'.repeat(50_000)}1`)).toBe(false);
    console.log(`[email-redos] pre-check on 3 hostile 100 KB strings: ${ms(performance.now() - started)}`);
  });
});

describe('crafted email addresses over HTTP (a server in its own process)', () => {
  jest.setTimeout(180_000);
  let database: TestDatabase;
  let server: ServerProcess | undefined;
  let baseUrl = '';
  const tokens: { admin?: string; agent?: string } = {};
  let contactDocumentId = '';

  const send = async (attack: Attack): Promise<{ status: number; body: unknown }> => {
    const headers: Record<string, string> = {};
    const token = attack.auth ? tokens[attack.auth] : undefined;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string;
    if (attack.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(attack.body as Record<string, string>).toString();
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(attack.body);
    }
    const response = await fetch(`${baseUrl}${attack.url}`, { method: attack.method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text, the assertion shows it
    }
    return { status: response.status, body: parsed };
  };

  /**
   * The crafted request, with `GET /_health` asked again and again until it has been answered:
   * how long the attack took, and how long each health check waited meanwhile.
   */
  const run = async (attack: Attack) => {
    const started = performance.now();
    let finished = false;
    const request = send(attack).finally(() => (finished = true));
    const health: Array<{ status: number; ms: number }> = [];
    do {
      const asked = performance.now();
      const response = await fetch(`${baseUrl}/_health`);
      await response.arrayBuffer();
      health.push({ status: response.status, ms: performance.now() - asked });
    } while (!finished);
    const answer = await request;
    const duration = performance.now() - started;
    const slowestHealth = Math.max(...health.map((check) => check.ms));
    console.log(
      `[email-redos] ${attack.label}: ${attack.method} ${attack.url} → ${answer.status} in ${ms(duration)}; ` +
        `GET /_health ×${health.length} meanwhile, slowest ${ms(slowestHealth)}`
    );
    return { ...answer, health };
  };

  const expectRefused = (attack: Attack, answer: { status: number; body: unknown }) => {
    expect([attack.label, answer.status]).toEqual([attack.label, 400]);
    const { data, error } = answer.body as ErrorBody;
    expect([attack.label, data]).toEqual([attack.label, null]);
    expect([attack.label, error]).toEqual([
      attack.label,
      expect.objectContaining({ status: 400, name: 'ValidationError', message: `${attack.field}: must be a valid email address` }),
    ]);
    expect([attack.label, error.details.errors]).toEqual([
      attack.label,
      [{ path: attack.field.split('.'), message: 'must be a valid email address', name: 'ValidationError' }],
    ]);
  };

  beforeAll(async () => {
    applyTestEnv();
    database = await freshDatabase();
    server = await startServerProcess({ SMTP_HOST: '', AGENT_EMAIL: AGENT.email, AGENT_PASSWORD: AGENT.password });
    baseUrl = server.baseUrl;
  });
  afterAll(async () => {
    // a server still stuck in a validator never reads stdin's end: killed after 15 s
    await server?.stop(15_000);
    await database?.drop();
  });

  it('POST /admin/register-admin (no admin yet): 400 at once, /_health answered meanwhile', async () => {
    const attack: Attack = {
      label: 'first admin registration',
      method: 'POST',
      url: '/admin/register-admin',
      body: { email: CRAFTED, firstname: 'Eve', lastname: 'Spam', password: 'Correct-Horse-9' },
      field: 'email',
    };
    const answer = await run(attack);

    // nothing was made: the real first admin can still register (and the accounts the next tests use)
    const registered = await send({ label: 'admin', method: 'POST', url: '/admin/register-admin', body: ADMIN, field: 'email' });
    expect(registered.status).toBe(200);
    const data = (registered.body as { data: { token?: string; accessToken?: string } }).data;
    tokens.admin = data.token ?? data.accessToken;
    const login = await send({ label: 'agent', method: 'POST', url: '/api/auth/local', body: { identifier: AGENT.email, password: AGENT.password }, field: 'identifier' });
    expect(login.status).toBe(200);
    tokens.agent = (login.body as { jwt: string }).jwt;
    const contact = await send({ label: 'contact', method: 'POST', url: '/api/contacts', body: { data: { email: 'olga@customer.test' } }, field: 'email', auth: 'agent' });
    expect(contact.status).toBe(201);
    contactDocumentId = (contact.body as { data: { documentId: string } }).data.documentId;
    expect(tokens.admin && tokens.agent && contactDocumentId).toBeTruthy();

    expectRefused(attack, answer);
    expect(answer.health.every((check) => check.status === 204)).toBe(true);
  });

  const attacks = (): Attack[] => [
    { label: 'admin forgot password', method: 'POST', url: '/admin/forgot-password', body: { email: CRAFTED }, field: 'email' },
    { label: 'admin forgot password, other case and slash', method: 'POST', url: '/Admin/Forgot-Password/', body: { email: CRAFTED }, field: 'email' },
    { label: 'admin registration by invitation', method: 'POST', url: '/admin/register', body: { registrationToken: 'x', userInfo: { email: CRAFTED, firstname: 'Eve', password: 'Correct-Horse-9' } }, field: 'userInfo.email' },
    { label: 'admin login', method: 'POST', url: '/admin/login', body: { email: CRAFTED, password: 'Correct-Horse-9' }, field: 'email' },
    { label: 'admin invites a user', method: 'POST', url: '/admin/users', body: { email: CRAFTED, firstname: 'Eve', roles: [1] }, field: 'email', auth: 'admin' },
    { label: 'admin edits own profile', method: 'PUT', url: '/admin/users/me', body: { email: CRAFTED }, field: 'email', auth: 'admin' },
    { label: 'forgot password', method: 'POST', url: '/api/auth/forgot-password', body: { email: CRAFTED }, field: 'email' },
    { label: 'forgot password, other case and slash', method: 'POST', url: '/API/auth/forgot-password/', body: { email: CRAFTED }, field: 'email' },
    { label: 'forgot password, form-encoded', method: 'POST', url: '/api/Auth/Forgot-Password', body: { email: CRAFTED }, field: 'email', form: true },
    { label: 'send email confirmation', method: 'POST', url: '/api/auth/send-email-confirmation', body: { email: CRAFTED }, field: 'email' },
    { label: 'send email confirmation, other case and slash', method: 'POST', url: '/Api/Auth/Send-Email-Confirmation/', body: { email: CRAFTED }, field: 'email' },
    { label: 'register', method: 'POST', url: '/api/auth/local/register', body: { username: 'eve', email: CRAFTED, password: 'Correct-Horse-9' }, field: 'email' },
    { label: 'sign in', method: 'POST', url: '/api/auth/local', body: { identifier: CRAFTED, password: 'Correct-Horse-9' }, field: 'identifier' },
    { label: 'sign in, other case and slash', method: 'POST', url: '/API/AUTH/LOCAL/', body: { identifier: CRAFTED, password: 'Correct-Horse-9' }, field: 'identifier' },
    // its own linear zod check answers (one error per bad field), with the same words
    {
      label: 'guest form',
      method: 'POST',
      url: '/API/Tickets/Guest/',
      body: { data: { firstName: 'Eve', lastName: 'Spam', email: CRAFTED, phone: '+49 30 1234567', company: 'Lottery', subject: 'Prize', description: 'You have won a prize.' } },
      field: 'email',
    },
    { label: 'REST contact create', method: 'POST', url: '/api/contacts', body: { data: { email: CRAFTED } }, field: 'email', auth: 'agent' },
    { label: 'REST contact update', method: 'PUT', url: `/api/contacts/${contactDocumentId}`, body: { data: { email: CRAFTED } }, field: 'email', auth: 'agent' },
    { label: 'REST ticket create', method: 'POST', url: '/api/tickets', body: { data: { subject: 'Prize', description: 'You won', email: CRAFTED } }, field: 'email', auth: 'agent' },
    { label: 'Content Manager contact create', method: 'POST', url: '/content-manager/collection-types/plugin::helpdesk.contact', body: { email: CRAFTED }, field: 'email', auth: 'admin' },
    { label: 'Content Manager contact update', method: 'PUT', url: `/content-manager/collection-types/plugin::helpdesk.contact/${contactDocumentId}`, body: { email: CRAFTED }, field: 'email', auth: 'admin' },
    { label: 'back office: new staff member', method: 'POST', url: '/helpdesk-admin/staff', body: { data: { email: CRAFTED, password: 'Correct-Horse-9' } }, field: 'email', auth: 'admin' },
    { label: 'back office: new staff member, other case and slash', method: 'POST', url: '/Helpdesk-Admin/Staff/', body: { data: { email: CRAFTED, password: 'Correct-Horse-9' } }, field: 'email', auth: 'admin' },
    { label: 'back office: new ticket', method: 'POST', url: '/helpdesk-admin/tickets', body: { data: { subject: 'Prize', description: 'You won', email: CRAFTED } }, field: 'email', auth: 'admin' },
    { label: 'back office: support address', method: 'PUT', url: '/helpdesk-admin/settings', body: { data: { supportAddress: CRAFTED } }, field: 'supportAddress', auth: 'admin' },
    { label: 'an address list', method: 'POST', url: '/api/tickets', body: { data: { subject: 'Prize', ccEmails: ['olga@customer.test', CRAFTED] } }, field: 'ccEmails.1', auth: 'agent' },
  ];

  it(`answers every route that takes an address with a 400 for a ${CRAFTED_LENGTH}-character crafted one, /_health answered meanwhile`, async () => {
    expect(CRAFTED).toHaveLength(CRAFTED_LENGTH);
    // every route first (each one's figures printed), then the verdicts
    const durations: number[] = [];
    const answers: Array<{ attack: Attack; answer: Awaited<ReturnType<typeof run>> }> = [];
    for (const attack of attacks()) {
      const started = performance.now();
      answers.push({ attack, answer: await run(attack) });
      durations.push(performance.now() - started);
    }
    for (const { attack, answer } of answers) {
      expectRefused(attack, answer);
      expect([attack.label, answer.health.every((check) => check.status === 204)]).toEqual([attack.label, true]);
    }
    console.log(`[email-redos] ${durations.length} crafted requests: slowest ${ms(Math.max(...durations))}, total ${ms(durations.reduce((a, b) => a + b, 0))}`);
    // nothing was written
    const contacts = await fetch(`${baseUrl}/api/contacts?pagination[pageSize]=100`, { headers: { authorization: `Bearer ${tokens.agent}` } });
    expect(contacts.status).toBe(200);
    expect(await contacts.text()).not.toContain('Millions');
  });

  it('still takes good addresses, trimmed where they carry stray whitespace', async () => {
    const forgot = await send({ label: 'forgot', method: 'POST', url: '/api/auth/forgot-password', body: { email: ' Nobody@Example.test ' }, field: 'email' });
    expect(forgot.status).toBe(200);
    const contact = await send({ label: 'contact', method: 'POST', url: '/api/contacts', body: { data: { email: '  bob+tickets@customer.test ' } }, field: 'email', auth: 'agent' });
    expect(contact.status).toBe(201);
    expect((contact.body as { data: { email: string } }).data.email).toBe('bob+tickets@customer.test');
  });
});

const build = (mail: Mail.Options): Promise<Buffer> => new MailComposer(mail).compile().build();
const SUPPORT = 'support@helpdesk.test';
const TICKET = 'plugin::helpdesk.ticket';
const CONTACT = 'plugin::helpdesk.contact';
const INBOUND = 'plugin::helpdesk.inbound-email';

describe('crafted email addresses in mail and server code', () => {
  jest.setTimeout(180_000);
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  let ingest: () => Promise<{ outcomes: Record<string, number> }>;

  beforeAll(async () => {
    imap = await startDovecot();
    helpdesk = await startHelpdesk({
      env: { CRON_ENABLED: 'false', EMAIL_TO_TICKET_ENABLED: 'true', SUPPORT_EMAIL: SUPPORT, SMTP_FROM: SUPPORT, ...imapEnv(imap) },
    });
    const ingestion = mailIngestion(helpdesk);
    const config = ingestion.readConfig() as IngestionConfig & { imap: ImapConfig };
    ingest = () => ingestion.ingest(config);
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
  });

  it('makes a ticket with no reply address of a mail from "Millions Lottery Spain transfer"@example.com> at once, and ingests the next one', async () => {
    const spam = [
      `From: ${SPAM_FROM}`,
      `To: ${SUPPORT}`,
      'Subject: You have won',
      'Message-ID: <lottery-1@spam.test>',
      'Date: Sat, 05 Dec 2026 10:00:00 +0000',
      '',
      'Send us your bank details.',
      '',
    ].join('\r\n');
    const next = await build({ from: 'after@customer.test', to: SUPPORT, subject: 'After the lottery', text: 'still here', messageId: '<after-lottery@customer.test>' });
    await appendMails(imap, 'INBOX', [spam, next]);

    const started = performance.now();
    const report = await ingest();
    console.log(`[email-redos] ingesting the lottery mail and the next one: ${ms(performance.now() - started)}`);

    // issue 17: a readable mail is never quarantined for its From; the quoted local part with
    // spaces is no address we can answer (nor store), so the ticket has none and says so
    expect(report.outcomes).toMatchObject({ quarantined: 0, ticket_created: 2 });
    const records = await helpdesk.strapi.db.query(INBOUND).findMany({ where: { messageId: '<lottery-1@spam.test>' } });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'ticket_created', fromAddress: null });
    expect(records[0].note).toContain('No reply address');
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'You have won', email: { $null: true } } })).toBe(1);
    expect(await helpdesk.strapi.db.query(CONTACT).count({ where: { email: { $contains: 'millions' } } })).toBe(0);
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'After the lottery', email: 'after@customer.test' } })).toBe(1);
    expect((await listMessages(imap, 'INBOX')).every((message) => message.flags.includes('\\Seen'))).toBe(true);
  });

  it('trims a trailing dot or > from a sender, and leaves a crafted Cc out of the participants', async () => {
    const trailingDot = await build({ from: 'Bob <bob@customer.test.>', to: SUPPORT, subject: 'Trailing dot', text: 'x', messageId: '<dot@customer.test>' });
    const trailingBracket = ['From: carol@customer.test>', `To: ${SUPPORT}`, `Cc: ${CRAFTED}, boss@customer.test`, 'Subject: Trailing bracket', 'Message-ID: <bracket@customer.test>', '', 'y', ''].join('\r\n');
    await appendMails(imap, 'INBOX', [trailingDot, trailingBracket]);
    const report = await ingest();
    expect(report.outcomes).toMatchObject({ quarantined: 0, ticket_created: 2 });
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'Trailing dot', email: 'bob@customer.test' } })).toBe(1);
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'Trailing bracket', email: 'carol@customer.test' } })).toBe(1);
    const record = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { messageId: '<bracket@customer.test>' } });
    expect(JSON.stringify(record.participants ?? [])).not.toContain('millions');
  });

  it('refuses a crafted address in server code (Document Service) before Strapi validates it', async () => {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['contact create', () => helpdesk.strapi.documents(CONTACT).create({ data: { email: CRAFTED } } as never)],
      ['ticket create', () => helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Prize', description: 'You won', email: CRAFTED } } as never)],
    ];
    const outcomes: Array<[string, unknown]> = [];
    for (const [label, call] of calls) {
      const started = performance.now();
      const error = await call().then(
        () => null,
        (thrown: unknown) => thrown
      );
      console.log(`[email-redos] Document Service ${label}: refused in ${ms(performance.now() - started)}`);
      outcomes.push([label, error]);
    }
    for (const [label, error] of outcomes) {
      expect([label, error]).toEqual([label, expect.objectContaining({ name: 'ValidationError', message: 'email: must be a valid email address' })]);
    }
    expect(await helpdesk.strapi.db.query(CONTACT).count({ where: { email: { $contains: 'millions' } } })).toBe(0);
  });
});
