import path from 'node:path';
import { spawn } from 'node:child_process';
import MailComposer from 'nodemailer/lib/mail-composer';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { appendMail, imapEnv, startDovecot, type DovecotServer } from './support/dovecot';

const TICKET = 'plugin::helpdesk.ticket';
const INBOUND = 'plugin::helpdesk.inbound-email';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const MAILS = 200;
const SUPPORT = 'support@helpdesk.test';

/** Runs tests/support/ingest-worker.js; resolves with its exit code and output. */
function runWorker(env: NodeJS.ProcessEnv, killWhen?: () => Promise<boolean>) {
  const child = spawn(process.execPath, [path.join(__dirname, 'support', 'ingest-worker.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let watching = Boolean(killWhen);
  const watch = async () => {
    while (watching) {
      if (await killWhen!()) {
        child.kill('SIGKILL');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  void watch();
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code, signal) => {
      watching = false;
      resolve({ code, signal, out, err });
    })
  );
}

/**
 * Exactly once across a crash: an ingesting process killed (SIGKILL) in the middle of a 200-mail
 * backlog and started again leaves every mail ingested once: one ticket, one inbound record and
 * one auto-reply each.
 */
describe('ingestion killed in the middle of a batch', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;

  beforeAll(async () => {
    imap = await startDovecot();
    helpdesk = await startHelpdesk({
      env: {
        CRON_ENABLED: 'false',
        EMAIL_TO_TICKET_ENABLED: 'true',
        SUPPORT_EMAIL: SUPPORT,
        SMTP_FROM: SUPPORT,
        ...imapEnv(imap),
        INGEST_BATCH_SIZE: '100',
        // the killed process cannot release its lease: let it lapse quickly
        INGEST_LEASE_TTL_SECONDS: '2',
        AUTO_REPLY_CAP: '1000',
      },
    });
    for (let i = 0; i < MAILS; i += 1) {
      const raw = await new MailComposer({ from: `crash${i}@customer.test`, to: SUPPORT, subject: `Crash ${i}`, text: `mail ${i}`, messageId: `<crash-${i}@customer.test>` }).compile().build();
      await appendMail(imap, 'INBOX', raw);
    }
  }, 240_000);
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
  });

  it('ingests every mail exactly once after a SIGKILL and a restart', async () => {
    const ingested = () => helpdesk.strapi.db.query(INBOUND).count({});
    const killed = await runWorker(process.env, async () => (await ingested()) >= 60);
    expect(killed.signal).toBe('SIGKILL');
    const atKill = await ingested();
    expect(atKill).toBeGreaterThanOrEqual(60);
    expect(atKill).toBeLessThan(MAILS);

    const restarted = await runWorker(process.env);
    expect([restarted.code, restarted.err]).toEqual([0, '']);

    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(MAILS);
    const records = (await helpdesk.strapi.db.query(INBOUND).findMany({ select: ['messageId', 'outcome'] })) as Array<{ messageId: string; outcome: string }>;
    expect(records).toHaveLength(MAILS);
    expect(new Set(records.map((r) => r.messageId)).size).toBe(MAILS);
    expect(records.every((r) => r.outcome === 'ticket_created')).toBe(true);
    expect(await helpdesk.strapi.db.query(OUTBOX).count({ where: { templateKey: 'ticket_confirmation' } })).toBe(MAILS);
  });
});
