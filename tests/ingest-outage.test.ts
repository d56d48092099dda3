import { recordLog, startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { appendMails, composeMail, imapEnv, listMessages, startDovecot, startImapRelay, type DovecotServer, type HeldFetch, type ImapRelay } from './support/dovecot';
import type { MailHealthView } from '../src/plugins/helpdesk/shared/contract';

const TICKET = 'plugin::helpdesk.ticket';
const INBOUND = 'plugin::helpdesk.inbound-email';
const MAILS = 100;
const BATCH = 10;
const INTERVAL_SECONDS = 2;
const SUPPORT = 'support@outage.test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The mail server goes away in the middle of a fetch and comes back. Strapi ingests on its cron
 * every INTERVAL_SECONDS; Dovecot is reached through a relay that holds the answer to the third
 * fetch of mail bodies, so the server is halted inside that fetch whatever the speed of the run
 * (the first version of this test halted "soon after the first batch" and raced the run). While
 * the server is down every check fails; once it is back the next check resumes, flags the mails
 * the cut run committed but could not flag, and ingests the rest: each mail once. The health
 * panel's API shows the error with its time, then a later success.
 */
describe('Dovecot down in the middle of a fetch', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  let relay: ImapRelay;
  let held: Promise<HeldFetch>;
  const lines: string[] = [];

  beforeAll(async () => {
    imap = await startDovecot();
    const raws = await Promise.all(
      Array.from({ length: MAILS }, (_, i) =>
        composeMail({ from: `out${i}@customer.test`, to: SUPPORT, subject: `Outage ${i}`, text: `mail ${i}`, messageId: `<outage-${i}@customer.test>` })
      )
    );
    await appendMails(imap, 'INBOX', raws);
    relay = await startImapRelay(imap);
    // batch 1 is fetched, batch 2 fetched while batch 1 is written; the fetch of batch 3 is held
    held = relay.holdFetch(3);
    helpdesk = await startHelpdesk({
      env: {
        CRON_ENABLED: 'true',
        EMAIL_TO_TICKET_ENABLED: 'true',
        EMAIL_TO_TICKET_CHECK_INTERVAL: String(INTERVAL_SECONDS),
        SUPPORT_EMAIL: SUPPORT,
        SMTP_FROM: SUPPORT,
        ...imapEnv(imap, relay.port),
        INGEST_BATCH_SIZE: String(BATCH),
        INGEST_TRANSACTION_SIZE: '5',
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
    await relay?.close();
    await imap?.stop();
  });

  /** Polls until `done`; past the deadline fails with what the log said meanwhile. */
  const waitUntil = async (what: string, done: () => Promise<boolean>, maxMs = 120_000) => {
    const until = Date.now() + maxMs;
    while (!(await done())) {
      if (Date.now() > until) throw new Error(`waited ${maxMs} ms for ${what}; log:\n${lines.slice(-30).join('\n')}`);
      await sleep(50);
    }
  };

  it('fails while the server is down, resumes at the next check once it is back; each mail once; the health API shows the error, then a later success', async () => {
    const { token } = await helpdesk.admin('outage.admin@example.test');
    const health = async (): Promise<MailHealthView> => {
      const response = await helpdesk.request<{ data: MailHealthView }>('GET', '/helpdesk-admin/settings/mail/health', { token });
      expect(response.status).toBe(200);
      return response.body.data;
    };
    const ingested = () => helpdesk.strapi.db.query(INBOUND).count({});
    const failures = () => lines.filter((line) => line.startsWith('[ingest] check failed:')).length;

    // the run is inside its third fetch: the server goes away now
    await held;
    const haltedAt = Date.now();
    await imap.halt();
    await waitUntil('a failed check recorded', async () => {
      const error = (await health()).lastError;
      return error !== null && Date.parse(error.at) >= haltedAt - 1000;
    });
    // the mailbox's view: what the cut run committed but could not flag stays unflagged until the server is back
    const atOutage = await ingested();
    const down = await health();
    expect(down.lastError?.message).toEqual(expect.any(String));
    expect(down.lastSuccess === null || Date.parse(down.lastSuccess.at) < Date.parse(down.lastError!.at)).toBe(true);

    await imap.resume();
    const backAt = Date.now();
    const failuresAtResume = failures();
    await waitUntil('ingestion to resume', async () => (await ingested()) > atOutage);
    const resumedMs = Date.now() - backAt;
    await waitUntil('every mail', async () => (await listMessages(imap, 'INBOX')).every((m) => m.flags.includes('\\Seen')));
    await waitUntil('a success recorded after the error', async () => {
      const view = await health();
      return view.lastSuccess !== null && view.lastError !== null && Date.parse(view.lastSuccess.at) > Date.parse(view.lastError.at);
    });
    process.stdout.write(
      `Dovecot halted inside the 3rd fetch with ${atOutage} of ${MAILS} mails written; ${failuresAtResume} checks failed while it was down; ` +
        `ingestion resumed ${resumedMs} ms after it was back (check interval ${INTERVAL_SECONDS} s)\n`
    );

    // the run was cut: mails were left for later checks
    expect(atOutage).toBeLessThan(MAILS);
    expect(failuresAtResume).toBeGreaterThan(0);
    // the first check that started after the server was back read the mailbox: at most one that was already under way failed
    expect(failures() - failuresAtResume).toBeLessThanOrEqual(1);

    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(MAILS);
    const records = (await helpdesk.strapi.db.query(INBOUND).findMany({ select: ['messageId', 'outcome'] })) as Array<{ messageId: string; outcome: string }>;
    expect(records).toHaveLength(MAILS);
    expect(new Set(records.map((r) => r.messageId)).size).toBe(MAILS);
    expect(records.every((r) => r.outcome === 'ticket_created')).toBe(true);
    const messages = await listMessages(imap, 'INBOX');
    expect(messages).toHaveLength(MAILS);

    const after = await health();
    expect(Date.parse(after.lastError!.at)).toBeGreaterThanOrEqual(haltedAt - 1000);
    expect(Date.parse(after.lastError!.at)).toBeLessThan(Date.parse(after.lastSuccess!.at));
    expect(Date.parse(after.lastSuccess!.at)).toBeGreaterThan(backAt);
    expect(after.lastDay.outcomes.find((entry) => entry.outcome === 'ticket_created')?.count).toBe(MAILS);
  }, 300_000);
});
