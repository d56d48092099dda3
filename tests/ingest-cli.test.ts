import path from 'node:path';
import { execFile } from 'node:child_process';
import MailComposer from 'nodemailer/lib/mail-composer';
import { recordLog, startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { appendMail, imapEnv, listMessages, startDovecot, type DovecotServer } from './support/dovecot';

const SCRIPT = path.resolve(__dirname, '..', 'scripts', 'ingest.js');
const SUPPORT = 'support@helpdesk.test';

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { env, cwd: path.resolve(__dirname, '..'), timeout: 180_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `npm run ingest` (scripts/ingest.js), the product's process_emails, and the start-up line that
 * says whether ingestion is on.
 */
describe('npm run ingest', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  const logged: string[] = [];

  beforeAll(async () => {
    imap = await startDovecot();
    helpdesk = await startHelpdesk({
      env: { CRON_ENABLED: 'false', EMAIL_TO_TICKET_ENABLED: 'true', SUPPORT_EMAIL: SUPPORT, SMTP_FROM: SUPPORT, ...imapEnv(imap) },
      beforeLoad: recordLog('info', logged),
    });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
  });

  it('says at start whether ingestion is on', () => {
    expect(logged.filter((line) => line.startsWith('[ingest]'))).toEqual([
      expect.stringMatching(new RegExp(`^\\[ingest\\] email-to-ticket is on: ${imap.host}:${imap.port} INBOX every 300 s`)),
    ]);
  });

  it('refuses bad usage with exit code 2, before touching anything', async () => {
    const result = await runCli(['--limit', 'lots'], process.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--limit must be a positive whole number/);
  });

  it('prints what a dry run would do, mail by mail, and writes and flags nothing', async () => {
    const build = (subject: string, headers: Record<string, string> = {}) =>
      new MailComposer({ from: 'cli@customer.test', to: SUPPORT, subject, text: 'hello', headers }).compile().build();
    await appendMail(imap, 'INBOX', await build('From the command line'));
    await appendMail(imap, 'INBOX', await build('Away', { 'Auto-Submitted': 'auto-replied' }));
    const result = await runCli(['--dry-run', '--once'], process.env);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/uid \d+: would new ticket "From the command line" — </);
    expect(result.stdout).toMatch(/uid \d+: would new ticket "Away" — automatic \(Auto-Submitted: auto-replied\), no auto-reply/);
    expect(result.stdout).toMatch(/^dry run: 2 mails in [\d.]+ s$/m);
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.ticket').count({})).toBe(0);
    expect((await listMessages(imap, 'INBOX')).some((message) => message.flags.includes('\\Seen'))).toBe(false);

    const real = await runCli(['--once'], process.env);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^2 mails in [\d.]+ s: ticket created 2$/m);
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.ticket').count({})).toBe(2);
  });
});
