import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { startHelpdesk, mailIngestion, type Helpdesk } from '../helpers/helpdesk';
import { SmtpSink } from '../support/smtp-sink';
import { appendMail, listMessages, startDovecot, mailLoopEnv, type DovecotServer } from '../support/dovecot';
import { uniformPng } from '../support/uniform-png';
import type { IngestReport } from '../../src/plugins/helpdesk/server/src/mail-ingestion/pipeline';
import type { IngestionConfig, ImapConfig } from '../../src/plugins/helpdesk/server/src/mail-ingestion/config';
import type { Outbox } from '../../src/plugins/helpdesk/server/src/outbox/outbox';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const ATTACHMENT = 'plugin::helpdesk.attachment';
const INBOUND = 'plugin::helpdesk.inbound-email';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const SUPPORT = 'support@helpdesk.test';
const MB = 1024 * 1024;
const KB = 1024;

interface InboundRow {
  messageId: string;
  outcome: string;
  fromAddress: string | null;
  fromName: string | null;
  subject: string | null;
  size: number | string | null;
  textBody: string | null;
  htmlBody: string | null;
  rawSource: string | null;
  raw: unknown;
  ticket: unknown;
}

interface OutboxRow {
  to: string;
  subject: string;
  textBody: string;
  automatic: boolean;
  deliveryStatus: string;
  headers: Record<string, string>;
}

const build = (mail: Mail.Options): Promise<Buffer> => new MailComposer(mail).compile().build();

/** Runs tests/support/ingest-worker.js (ingestion in a process of its own) until the mailbox is empty. */
function runIngestWorker(): Promise<{ code: number | null; report: IngestReport & { peakRssBytes: number }; err: string }> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'support', 'ingest-worker.js')], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '{}';
      resolve({ code, report: JSON.parse(last.startsWith('{') ? last : '{}'), err });
    })
  );
}

/**
 * Issue 16, finding 6, for mail: images past the pixel limit are not decoded (the ticket gets a
 * note instead), and a mail above INGEST_MAX_MESSAGE_BYTES is never downloaded: it leaves a
 * too_large record and, when on, a polite notice to a person who sent it.
 */
describe('files entering the helpdesk by mail', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  const sink = new SmtpSink();
  let ingest: (env?: Record<string, string>) => Promise<IngestReport>;

  const outbox = () => helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
  const deliver = async () => {
    for (let i = 0; i < 20; i += 1) {
      const report = await outbox().deliverDue();
      if (report.sent + report.retried + report.failed === 0) break;
    }
  };
  const inbound = async (messageId: string) =>
    (await helpdesk.strapi.db.query(INBOUND).findOne({ where: { messageId }, populate: { raw: true, ticket: true } })) as InboundRow | null;
  const mailsTo = async (to: string) => (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { to }, orderBy: { id: 'asc' } })) as OutboxRow[];
  /** What Dovecot sent to clients (its `out=` of each session that logged out) while `work` ran. */
  const bytesServed = async (work: () => Promise<unknown>): Promise<number> => {
    const log = path.join(imap.dir, 'dovecot.log');
    const start = fs.statSync(log).size;
    await work();
    // the session's log line follows its LOGOUT by a moment
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = fs.readFileSync(log).subarray(start).toString('utf8');
    return [...lines.matchAll(/Logged out in=\d+ out=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
  };

  beforeAll(async () => {
    imap = await startDovecot();
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        ...mailLoopEnv(imap, port, SUPPORT),
        AUTO_REPLY_CAP: '2',
      },
    });
    const ingestion = mailIngestion(helpdesk);
    ingest = async (env = {}) => {
      const config = ingestion.readConfig({ ...process.env, ...env }) as IngestionConfig & { imap: ImapConfig };
      const report = (await ingestion.ingest(config)) as IngestReport;
      await deliver();
      return report;
    };
  }, 120_000);
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
    await sink.stop();
  });

  it('stores no decoded copy of three 10000×10000 PNGs in a 1.2 MB mail: a ticket with a note, peak RSS of the ingest process under 400 MB', async () => {
    const png = await uniformPng(10_000, 10_000);
    const raw = await build({
      from: '"Pixel Bomber" <pixels@customer.test>',
      to: SUPPORT,
      subject: 'Three screenshots',
      text: 'See the attached screenshots.',
      messageId: '<pixel-bomb@customer.test>',
      attachments: [1, 2, 3].map((n) => ({ filename: `screen${n}.png`, content: png, contentType: 'image/png' })),
    });
    expect(raw.length).toBeGreaterThan(MB);
    await appendMail(imap, 'INBOX', raw);

    const started = Date.now();
    const run = await runIngestWorker();
    console.log(
      `[mail-file-entry] ${(raw.length / MB).toFixed(2)} MB mail with three 10000×10000 PNGs (${(png.length / KB).toFixed(0)} KB each): ` +
        `ingested in ${Date.now() - started} ms (process start included), peak RSS of the ingest process ${(run.report.peakRssBytes / MB).toFixed(0)} MB`
    );
    expect([run.code, run.err]).toEqual([0, '']);
    expect(run.report.outcomes.ticket_created).toBe(1);
    expect(run.report.peakRssBytes).toBeLessThan(400 * MB);

    const ticket = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'Three screenshots' } })) as { id: number };
    expect(await helpdesk.strapi.db.query(ATTACHMENT).count({ where: { ticket: { id: ticket.id } } })).toBe(0);
    const note = (await helpdesk.strapi.db.query(COMMENT).findOne({ where: { ticket: { id: ticket.id }, isInternal: true } })) as { body: string };
    for (const n of [1, 2, 3]) expect(note.body).toMatch(new RegExp(`screen${n}\\.png .*10000×10000 pixels`));
    const record = (await helpdesk.strapi.db.query(INBOUND).findOne({ where: { messageId: '<pixel-bomb@customer.test>' } })) as { skippedAttachments: Array<{ reason: string }> };
    expect(record.skippedAttachments).toHaveLength(3);
    expect(record.skippedAttachments.every((part) => /at most 40 megapixels/.test(part.reason))).toBe(true);
  }, 180_000);

  it('does not download a mail above INGEST_MAX_MESSAGE_BYTES: a too_large record, a notice to the sender, and the next mail goes on', async () => {
    const big = await build({
      from: '"Bea Big" <Bea@Customer.test>',
      to: SUPPORT,
      subject: 'Scans of the contract',
      text: 'All pages attached.',
      messageId: '<too-big@customer.test>',
      attachments: [{ filename: 'scan.bin', content: crypto.randomBytes(300 * KB), contentType: 'application/octet-stream' }],
    });
    const next = await build({ from: 'next@customer.test', to: SUPPORT, subject: 'The mail after the big one', text: 'Still here', messageId: '<after-big@customer.test>' });
    await appendMail(imap, 'INBOX', big);
    await appendMail(imap, 'INBOX', next);
    sink.messages.length = 0;

    let report: IngestReport | undefined;
    const served = await bytesServed(async () => {
      report = await ingest({ INGEST_MAX_MESSAGE_BYTES: String(200 * KB) });
    });
    console.log(`[mail-file-entry] a ${(big.length / KB).toFixed(0)} KB mail over a 200 KB limit and a small one: the IMAP server sent ${(served / KB).toFixed(1)} KB`);
    expect(report?.outcomes).toMatchObject({ too_large: 1, ticket_created: 1, quarantined: 0 });
    // its body never crossed the wire: everything the server sent is far smaller than the mail
    expect(served).toBeLessThan(big.length / 10);

    const record = await inbound('<too-big@customer.test>');
    expect(record).toMatchObject({ outcome: 'too_large', fromAddress: 'bea@customer.test', fromName: 'Bea Big', subject: 'Scans of the contract', ticket: null });
    expect(Number(record?.size)).toBeGreaterThanOrEqual(big.length);
    // nothing of the body is kept
    expect([record?.textBody, record?.htmlBody, record?.rawSource, record?.raw]).toEqual([null, null, null, null]);
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'Scans of the contract' } })).toBe(0);
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'The mail after the big one' } })).toBe(1);

    // one polite, automatic notice, in the sender's thread
    const [notice] = await mailsTo('bea@customer.test');
    expect(notice).toMatchObject({ automatic: true, deliveryStatus: 'sent' });
    expect(notice.subject).toContain('Scans of the contract');
    expect(notice.textBody).toMatch(/larger than .*200 KB/);
    const delivered = sink.messages.filter((message) => message.envelopeTo.includes('bea@customer.test'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0].parsed.inReplyTo).toBe('<too-big@customer.test>');
    expect(delivered[0].parsed.headers.get('auto-submitted')).toBe('auto-replied');

    // acknowledged like any other mail: it never blocks the mailbox
    expect((await listMessages(imap, 'INBOX')).every((message) => message.flags.includes('\\Seen'))).toBe(true);
    expect((await ingest({ INGEST_MAX_MESSAGE_BYTES: String(200 * KB) })).fetched).toBe(0);
  });

  it('sends no notice to automatic senders, our own address, past the auto-reply cap, or with INGEST_NOTIFY_TOO_LARGE=false', async () => {
    const large = (from: string, n: number, headers: Record<string, string> = {}) =>
      build({ from, to: SUPPORT, subject: `Large ${n}`, text: 'x', messageId: `<large-${n}@customer.test>`, headers, attachments: [{ filename: 'a.bin', content: crypto.randomBytes(300 * KB) }] });
    const mails = [
      await large('noreply@shop.test', 1),
      await large('away@customer.test', 2, { 'Auto-Submitted': 'auto-replied' }),
      await large(SUPPORT, 3),
      await large('flood@customer.test', 4),
      await large('flood@customer.test', 5),
      await large('flood@customer.test', 6),
    ];
    for (const mail of mails) await appendMail(imap, 'INBOX', mail);
    const report = await ingest({ INGEST_MAX_MESSAGE_BYTES: String(200 * KB) });
    expect(report.outcomes.too_large).toBe(6);
    expect(await mailsTo('noreply@shop.test')).toEqual([]);
    expect(await mailsTo('away@customer.test')).toEqual([]);
    expect(await mailsTo(SUPPORT)).toEqual([]);
    // AUTO_REPLY_CAP is 2 in this file
    expect((await mailsTo('flood@customer.test')).map((mail) => mail.deliveryStatus)).toEqual(['sent', 'sent', 'suppressed']);

    await appendMail(imap, 'INBOX', await large('quiet@customer.test', 7));
    const quiet = await ingest({ INGEST_MAX_MESSAGE_BYTES: String(200 * KB), INGEST_NOTIFY_TOO_LARGE: 'false' });
    expect(quiet.outcomes.too_large).toBe(1);
    expect((await inbound('<large-7@customer.test>'))?.outcome).toBe('too_large');
    expect(await mailsTo('quiet@customer.test')).toEqual([]);
  });
});
