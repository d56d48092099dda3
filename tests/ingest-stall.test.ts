import MailComposer from 'nodemailer/lib/mail-composer';
import { recordLog, startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { appendMails, imapEnv, listMessages, startDovecot, type DovecotServer } from './support/dovecot';
import { assertWithinBudget, MailBudgetExceeded, withinBudget } from '../src/mail-ingestion/budget';

const TICKET = 'api::ticket.ticket';
const INBOUND = 'api::inbound-email.inbound-email';
const MAILS = 120;
const INTERVAL_SECONDS = 2;
const SUPPORT = 'support@helpdesk.test';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The mail server goes away in the middle of a run (Dovecot killed while the cron-driven ingestion
 * fetches a backlog) and comes back on the same ports: the failed check says so in the log, the
 * next check resumes, and every mail ends up ingested exactly once and flagged.
 */
describe('the IMAP server killed in the middle of a fetch', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  const lines: string[] = [];

  beforeAll(async () => {
    imap = await startDovecot();
    // ~100 KB each: a batch's FETCH takes long enough to be cut
    const filler = 'x'.repeat(76).concat('\n').repeat(1300);
    const raws = await Promise.all(
      Array.from({ length: MAILS }, (_, i) =>
        new MailComposer({ from: `cut${i}@customer.test`, to: SUPPORT, subject: `Cut ${i}`, text: `mail ${i}\n${filler}`, messageId: `<cut-${i}@customer.test>` }).compile().build()
      )
    );
    await appendMails(imap, 'INBOX', raws);
    helpdesk = await startHelpdesk({
      env: {
        CRON_ENABLED: 'true',
        EMAIL_TO_TICKET_ENABLED: 'true',
        EMAIL_TO_TICKET_CHECK_INTERVAL: String(INTERVAL_SECONDS),
        SUPPORT_EMAIL: SUPPORT,
        SMTP_FROM: SUPPORT,
        ...imapEnv(imap),
        INGEST_BATCH_SIZE: '20',
        INGEST_TRANSACTION_SIZE: '5',
        IMAP_TIMEOUT_SECONDS: '5',
        AUTO_REPLY_CAP: '1000',
      },
      // the log lines the cron task writes, read as an operator would
      beforeLoad: (created) => {
        recordLog('info', lines)(created);
        recordLog('error', lines)(created);
      },
    });
  }, 240_000);
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
  });

  /** Polls until `done`; past `maxMs` fails with what the log said meanwhile. */
  const waitUntil = async (what: string, done: () => Promise<boolean>, maxMs = 90_000) => {
    const until = Date.now() + maxMs;
    while (!(await done())) {
      if (Date.now() > until) throw new Error(`waited ${maxMs} ms for ${what}; log:\n${lines.slice(-30).join('\n')}`);
      await sleep(20);
    }
  };

  it('resumes at the next check after the server is back, nothing lost or doubled', async () => {
    const ingested = () => helpdesk.strapi.db.query(INBOUND).count({});
    // the mailbox's view (the database's may lag behind a busy SQLite writer): mails acknowledged
    const seen = async () => (await listMessages(imap, 'INBOX')).filter((m) => m.flags.includes('\\Seen')).length;
    // the first batch is flagged: the run is now fetching and writing the next ones
    await waitUntil('the first batch', async () => (await seen()) > 0);
    await imap.halt();
    const atKill = await ingested();
    await sleep(1000);
    await imap.resume();
    const back = Date.now();
    const seenAtResume = await seen();
    await waitUntil('ingestion to resume', async () => (await seen()) > seenAtResume);
    const resumedMs = Date.now() - back;
    await waitUntil('every mail', async () => (await seen()) >= MAILS);
    process.stdout.write(`IMAP killed after ${atKill} of ${MAILS} mails were written (${seenAtResume} flagged); ingestion resumed ${resumedMs} ms after the server came back (check interval ${INTERVAL_SECONDS} s)\n`);

    // the run was cut: mails were left for the next check
    expect(seenAtResume).toBeLessThan(MAILS);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(MAILS);
    const records = (await helpdesk.strapi.db.query(INBOUND).findMany({ select: ['messageId', 'outcome'] })) as Array<{ messageId: string; outcome: string }>;
    expect(records).toHaveLength(MAILS);
    expect(new Set(records.map((r) => r.messageId)).size).toBe(MAILS);
    expect(records.every((r) => r.outcome === 'ticket_created')).toBe(true);
    const messages = await listMessages(imap, 'INBOX');
    expect(messages).toHaveLength(MAILS);
    expect(messages.filter((m) => !m.flags.includes('\\Seen'))).toEqual([]);
    // the cut check left one line saying why; checks that overlapped a running one said so
    expect(lines.some((line) => line.startsWith('[ingest] check failed:'))).toBe(true);
    process.stdout.write(`${lines.filter((line) => /skipped|failed/.test(line)).slice(0, 5).join('\n')}\n`);
  }, 240_000);
});

describe('the per-mail budget', () => {
  it('fails a stage that waits past the budget, at the budget', async () => {
    const started = Date.now();
    const outcome = withinBudget('parsing', 200, () => new Promise<never>(() => undefined));
    await expect(outcome).rejects.toBeInstanceOf(MailBudgetExceeded);
    await expect(outcome).rejects.toThrow(/parsing took \d+ ms, over the per-mail budget of 200 ms/);
    process.stdout.write(`a hanging stage was given up after ${Date.now() - started} ms (budget 200 ms)\n`);
  });

  it('fails a stage that held the CPU past the budget (a timer cannot interrupt it)', async () => {
    const busy = async () => {
      const until = Date.now() + 300;
      while (Date.now() < until); // a validator backtracking
      return 'parsed';
    };
    await expect(withinBudget('parsing', 100, busy)).rejects.toThrow(/over the per-mail budget of 100 ms/);
    await expect(withinBudget('parsing', 5_000, busy)).resolves.toBe('parsed');
    expect(() => assertWithinBudget('applying', Date.now() - 50, 10)).toThrow(MailBudgetExceeded);
    expect(() => assertWithinBudget('applying', Date.now(), 10_000)).not.toThrow();
  });
});

