import path from 'node:path';
import { spawn } from 'node:child_process';
import MailComposer from 'nodemailer/lib/mail-composer';
import { startHelpdesk, mailIngestion, type Helpdesk } from './helpers/helpdesk';
import { appendMails, imapEnv, listMessages, startDovecot, type DovecotServer } from './support/dovecot';
import type { IngestReport } from '../src/plugins/helpdesk/server/src/mail-ingestion/pipeline';
import type { IngestionConfig, ImapConfig } from '../src/plugins/helpdesk/server/src/mail-ingestion/config';
import type { MailConfigView } from '../src/plugins/helpdesk/shared/contract';

const TICKET = 'plugin::helpdesk.ticket';
const INBOUND = 'plugin::helpdesk.inbound-email';
const CURSOR = 'plugin::helpdesk.mail-cursor';
const MAILS = 200;
const SUPPORT = 'support@helpdesk.test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two instances on one database (this test's Strapi, and tests/support/ingest-worker.js in a
 * process of its own). The worker ingests, and is killed with SIGKILL in the middle; this instance
 * checks every second, as its cron would. It is told who holds the mailbox while the worker lives,
 * takes over once the dead worker's lease lapses (INGEST_LEASE_TTL_SECONDS, 30 by default),
 * flags the mails the worker committed but never flagged, and ingests the rest: each mail once.
 * Runs on SQLite (one file, two processes) and on PostgreSQL alike.
 */
describe('failover between two instances', () => {
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
        // committed every 10 mails, flagged every 100: a kill leaves committed mails unflagged
        INGEST_TRANSACTION_SIZE: '10',
        AUTO_REPLY_CAP: '1000',
      },
    });
    const raws = await Promise.all(
      Array.from({ length: MAILS }, (_, i) =>
        new MailComposer({ from: `fail${i}@customer.test`, to: SUPPORT, subject: `Failover ${i}`, text: `mail ${i}`, messageId: `<fail-${i}@customer.test>` }).compile().build()
      )
    );
    await appendMails(imap, 'INBOX', raws);
  }, 240_000);
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
  });

  it('takes over from a SIGKILLed instance within its lease, naming the holder, each mail once', async () => {
    const ingestion = mailIngestion(helpdesk);
    const config = ingestion.readConfig() as IngestionConfig & { imap: ImapConfig };
    const ingest = (): Promise<IngestReport> => ingestion.ingest(config);
    const ingested = () => helpdesk.strapi.db.query(INBOUND).count({});
    const mailConfigView = (): Promise<MailConfigView> => ingestion.health();
    let heldView: MailConfigView | null = null;

    const worker = spawn(process.execPath, [path.join(__dirname, 'support', 'ingest-worker.js')], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.on('exit', (_code, signal) => resolve(signal)));
    // the worker holds the lease: this instance is told by whom
    let skipped: IngestReport | null = null;
    for (let i = 0; i < 3000 && !skipped; i += 1) {
      if ((await ingested()) >= 30) {
        const report = await ingest();
        if (report.skipped === 'locked') {
          skipped = report;
          heldView = await mailConfigView();
        }
        else throw new Error(`took the lease from a live worker: ${JSON.stringify(report)}`);
      }
      await sleep(20);
    }
    worker.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await exited).toBe('SIGKILL');
    expect(skipped?.holder).toMatchObject({ pid: worker.pid, host: expect.any(String) });

    const cursor = (await helpdesk.strapi.db.query(CURSOR).findOne({})) as { lastUid: string | number };
    const unflagged = (await listMessages(imap, 'INBOX')).filter((m) => m.uid <= Number(cursor.lastUid) && !m.flags.includes('\\Seen'));
    const atKill = await ingested();

    // this instance's checks, every second, until one gets the lease
    let takeover: IngestReport | null = null;
    let checks = 0;
    let takeoverMs = 0;
    while (!takeover) {
      const startedAt = Date.now();
      const report = await ingest();
      checks += 1;
      if (report.skipped === null) {
        takeover = report;
        takeoverMs = startedAt - killedAt;
      } else await sleep(1000);
    }
    process.stdout.write(
      `worker pid ${worker.pid} killed after ${atKill} of ${MAILS} mails (${unflagged.length} committed but unflagged); ` +
        `this instance took over ${takeoverMs} ms later, at its check ${checks}, and ingested ${takeover.fetched}\n`
    );

    expect(atKill).toBeLessThan(MAILS);
    expect(unflagged.length).toBeGreaterThan(0);
    expect(takeover.fetched).toBe(MAILS - atKill);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(MAILS);
    const records = (await helpdesk.strapi.db.query(INBOUND).findMany({ select: ['messageId', 'outcome'] })) as Array<{ messageId: string; outcome: string }>;
    expect(records).toHaveLength(MAILS);
    expect(new Set(records.map((r) => r.messageId)).size).toBe(MAILS);
    expect(records.every((r) => r.outcome === 'ticket_created')).toBe(true);
    // the worker's committed but unflagged mails are flagged, and so is everything else
    const messages = await listMessages(imap, 'INBOX');
    expect(messages.filter((m) => !m.flags.includes('\\Seen'))).toEqual([]);
    // the settings endpoint's data named the worker while it held the mailbox, and nobody after
    expect(heldView?.emailToTicket.holder).toMatchObject({ pid: worker.pid, host: skipped?.holder?.host });
    expect((await mailConfigView()).emailToTicket.holder).toBeNull();
  }, 240_000);
});
