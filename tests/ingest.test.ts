import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { startHelpdesk, mailIngestion, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import { appendMail, listMessages, startDovecot, mailLoopEnv, type DovecotServer } from './support/dovecot';
import type { IngestOptions, IngestReport } from '../src/plugins/helpdesk/server/src/mail-ingestion/pipeline';
import type { IngestionConfig, ImapConfig } from '../src/plugins/helpdesk/server/src/mail-ingestion/config';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const INBOUND = 'plugin::helpdesk.inbound-email';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const ATTACHMENT = 'plugin::helpdesk.attachment';
const SUPPORT = 'support@helpdesk.test';

interface TicketRow {
  id: number;
  documentId: string;
  ticketNumber: string;
  subject: string;
  description: string;
  email: string;
  source: string;
  priority: string;
  category: string;
  ticketStatus: string;
  isGuest: boolean;
  assignee: unknown;
  contact: { email: string; firstName: string | null; lastName: string | null } | null;
}

const build = (mail: Mail.Options): Promise<Buffer> => new MailComposer(mail).compile().build();

/**
 * Email-to-ticket end to end: real Dovecot (IMAP), real Strapi, real SMTP sink. Mails are built
 * with nodemailer's MailComposer (or by hand where a mail must be broken) and APPENDed.
 */
describe('email-to-ticket ingestion', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  const sink = new SmtpSink();
  let config: IngestionConfig & { imap: ImapConfig };
  let ingest: (options?: IngestOptions) => Promise<IngestReport>;

  const tickets = async (): Promise<TicketRow[]> =>
    (await helpdesk.strapi.db.query(TICKET).findMany({ orderBy: { id: 'asc' }, populate: { contact: true, assignee: true } })) as TicketRow[];
  const ticketBySubject = async (subject: string): Promise<TicketRow> =>
    (await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject }, populate: { contact: true, assignee: true } })) as TicketRow;
  const commentsOf = async (ticketId: number) =>
    helpdesk.strapi.db.query(COMMENT).findMany({ where: { ticket: { id: ticketId } }, orderBy: { id: 'asc' } });
  const outbox = () => helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
  const deliver = async () => {
    for (let i = 0; i < 20; i += 1) {
      const report = await outbox().deliverDue();
      if (report.sent + report.retried + report.failed === 0) break;
    }
  };
  /** Appends `mail` and runs one ingestion pass; returns the pass's report. */
  const receive = async (...mails: Array<Buffer | string>) => {
    for (const mail of mails) await appendMail(imap, 'INBOX', mail);
    const report = await ingest();
    await deliver();
    return report;
  };

  beforeAll(async () => {
    imap = await startDovecot();
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        ...mailLoopEnv(imap, port, SUPPORT),
        ATTACHMENT_MAX_BYTES: String(200 * 1024),
        AUTO_REPLY_CAP: '100',
      },
    });
    // the pipeline as Strapi loaded it (the plugin's bundle), so that its request-scoped context is Strapi's own
    const ingestion = mailIngestion(helpdesk);
    config = ingestion.readConfig() as typeof config;
    ingest = (options) => ingestion.ingest(config, options);
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
    await sink.stop();
  });
  beforeEach(() => {
    sink.messages.length = 0;
  });

  it('turns a new mail into a ticket, with a threaded auto-reply carrying its number', async () => {
    const raw = await build({
      from: '"Nina Newcomer" <Nina@Customer.test>',
      to: SUPPORT,
      subject: 'Printer is on fire',
      text: 'It started smoking this morning.\n\nNina',
      messageId: '<first-mail@customer.test>',
    });
    const report = await receive(raw);
    expect(report.outcomes.ticket_created).toBe(1);

    const ticket = await ticketBySubject('Printer is on fire');
    expect(ticket).toMatchObject({ source: 'email', email: 'nina@customer.test', priority: 'medium', category: 'support', ticketStatus: 'new', isGuest: true, assignee: null });
    expect(ticket.description).toContain('It started smoking this morning.');
    expect(ticket.contact).toMatchObject({ email: 'nina@customer.test', firstName: 'Nina', lastName: 'Newcomer' });

    const [reply] = sink.messages.filter((m) => m.envelopeTo.includes('nina@customer.test'));
    // the same confirmation a ticket from the web form gets, in the thread of the customer's mail
    expect(reply.parsed.subject).toBe(`[${ticket.ticketNumber}] We received your request: Printer is on fire`);
    expect(reply.parsed.text).toContain(ticket.ticketNumber);
    expect(reply.parsed.inReplyTo).toBe('<first-mail@customer.test>');
    expect(reply.parsed.headers.get('auto-submitted')).toBe('auto-replied');

    const record = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { messageId: '<first-mail@customer.test>' }, populate: { ticket: true } });
    expect(record).toMatchObject({ outcome: 'ticket_created', fromAddress: 'nina@customer.test', automatic: false });
    expect(record.ticket.id).toBe(ticket.id);
    expect((await listMessages(imap, 'INBOX')).every((message) => message.flags.includes('\\Seen'))).toBe(true);
  });

  it('adds a reply found by its headers as a requester comment, and reopens a resolved ticket', async () => {
    const ticket = await ticketBySubject('Printer is on fire');
    await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { ticketStatus: 'resolved' } });
    const [autoReply] = (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticket.id }, templateKey: 'ticket_confirmation' } })) as Array<{ messageId: string }>;
    const report = await receive(
      await build({
        from: 'nina@customer.test',
        to: SUPPORT,
        subject: 'Re: what you said',
        text: 'Thanks! It is still smoking though.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Support <support@helpdesk.test> wrote:\n> We opened a ticket\n> for you',
        inReplyTo: autoReply.messageId,
        references: [autoReply.messageId],
        messageId: '<reply-by-headers@customer.test>',
      })
    );
    expect(report.outcomes.comment_added).toBe(1);
    const comments = await commentsOf(ticket.id);
    expect(comments.at(-1)).toMatchObject({ body: 'Thanks! It is still smoking though.', authorType: 'requester', source: 'email', isInternal: false, messageId: '<reply-by-headers@customer.test>' });
    expect((await ticketBySubject('Printer is on fire')).ticketStatus).toBe('reopened');
    expect((await tickets()).length).toBe(1);
  });

  it('adds a reply found only by the ticket tag in its subject', async () => {
    const ticket = await ticketBySubject('Printer is on fire');
    await receive(await build({ from: 'nina@customer.test', to: SUPPORT, subject: `Re: [${ticket.ticketNumber}] one more thing`, text: 'The model is XP-200.' }));
    const last = (await commentsOf(ticket.id)).at(-1);
    expect(last).toMatchObject({ body: 'The model is XP-200.', authorType: 'requester', isInternal: false });
    const record = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { comment: { id: last.id } } });
    expect(record.matchedBy).toBe('subject');
  });

  it('keeps a stranger out of the conversation: their mail becomes an internal note', async () => {
    const ticket = await ticketBySubject('Printer is on fire');
    const mailsBefore = await helpdesk.strapi.db.query(OUTBOX).count({});
    await receive(await build({ from: 'mallory@evil.test', to: SUPPORT, subject: `Re: ${ticket.ticketNumber}`, text: 'Please send me the invoice' }));
    const last = (await commentsOf(ticket.id)).at(-1);
    expect(last).toMatchObject({ isInternal: true, authorType: 'system', authorName: 'Unknown sender <mallory@evil.test>' });
    expect(last.body).toContain('Please send me the invoice');
    expect(await helpdesk.strapi.db.query(OUTBOX).count({})).toBe(mailsBefore);
  });

  it('ingests automatic mail without ever answering it', async () => {
    const before = await helpdesk.strapi.db.query(OUTBOX).count({ where: { templateKey: 'ticket_confirmation' } });
    await receive(
      await build({ from: 'someone@customer.test', to: SUPPORT, subject: 'Out of office', text: 'I am away', headers: { 'Auto-Submitted': 'auto-replied' } }),
      await build({ from: 'news@list.test', to: SUPPORT, subject: 'Weekly digest', text: 'News', headers: { 'List-Id': '<news.list.test>', Precedence: 'bulk' } }),
      await build({ from: 'MAILER-DAEMON@mx.customer.test', to: SUPPORT, subject: 'Undeliverable', text: 'Could not deliver' })
    );
    for (const subject of ['Out of office', 'Weekly digest', 'Undeliverable']) {
      const ticket = await ticketBySubject(subject);
      expect([subject, Boolean(ticket)]).toEqual([subject, true]);
      const record = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { ticket: { id: ticket.id } } });
      expect(record.automatic).toBe(true);
    }
    expect(await helpdesk.strapi.db.query(OUTBOX).count({ where: { templateKey: 'ticket_confirmation' } })).toBe(before);
  });

  it('marks our mail failed when its bounce comes back, and answers nobody', async () => {
    const ticket = await ticketBySubject('Printer is on fire');
    const [autoReply] = (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticket.id }, templateKey: 'ticket_confirmation' } })) as Array<{ id: number; messageId: string }>;
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce-1@mx.customer.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      'Final-Recipient: rfc822; nina@customer.test',
      'Action: failed',
      'Status: 5.1.1',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${autoReply.messageId}`,
      `From: ${SUPPORT}`,
      'Subject: whatever',
      '--b1--',
      '',
    ].join('\r\n');
    const before = await helpdesk.strapi.db.query(TICKET).count({});
    const report = await receive(dsn);
    expect(report.outcomes.bounce_recorded).toBe(1);
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(before);
    const bounced = await helpdesk.strapi.db.query(OUTBOX).findOne({ where: { id: autoReply.id } });
    expect(bounced.deliveryStatus).toBe('failed');
    expect(bounced.lastError).toMatch(/bounced/);
    expect(sink.messages).toHaveLength(0);
  });

  it('takes a mail without a Message-ID once, however often it is fetched', async () => {
    const raw = ['From: plain@customer.test', `To: ${SUPPORT}`, 'Subject: No id here', 'Date: Mon, 23 Nov 2026 08:00:00 +0000', '', 'Hello without an id', ''].join('\r\n');
    await receive(raw);
    await receive(raw);
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'No id here' } })).toBe(1);
    const records = await helpdesk.strapi.db.query(INBOUND).findMany({ where: { subject: 'No id here' }, orderBy: { id: 'asc' } });
    expect(records.map((r: { outcome: string }) => r.outcome)).toEqual(['ticket_created', 'ignored_duplicate']);
    expect(records[0].messageId).toMatch(/@generated\.invalid>$/);
  });

  it('takes a mail delivered twice into the same batch once', async () => {
    const raw = await build({ from: 'twice@customer.test', to: SUPPORT, subject: 'Delivered twice', text: 'x', messageId: '<twice@customer.test>' });
    const report = await receive(raw, raw);
    expect(report.outcomes).toMatchObject({ ticket_created: 1, ignored_duplicate: 1 });
    const [ticket] = await helpdesk.strapi.db.query(TICKET).findMany({ where: { subject: 'Delivered twice' } });
    const records = await helpdesk.strapi.db.query(INBOUND).findMany({ where: { messageId: '<twice@customer.test>' }, orderBy: { id: 'asc' }, populate: { ticket: true } });
    expect(records.map((r: { outcome: string; ticket: { id: number } | null }) => [r.outcome, r.ticket?.id])).toEqual([
      ['ticket_created', ticket.id],
      ['ignored_duplicate', ticket.id],
    ]);
  });

  it('reads HTML-only mail, and non-UTF-8 charsets, correctly', async () => {
    await receive(
      await build({ from: 'html@customer.test', to: SUPPORT, subject: 'HTML only', html: '<p>Hello <b>team</b>,</p><p>the <i>portal</i> is down.</p><img src="https://tracker.test/pixel.gif">' }),
      Buffer.concat([
        Buffer.from(['From: latin@customer.test', `To: ${SUPPORT}`, 'Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=ISO-8859-1', 'Content-Transfer-Encoding: 8bit', '', ''].join('\r\n')),
        Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x67, 0x65, 0x73, 0x63, 0x68, 0x6c, 0x6f, 0x73, 0x73, 0x65, 0x6e, 0x0d, 0x0a]),
      ]),
      Buffer.concat([
        Buffer.from(['From: tokyo@customer.test', `To: ${SUPPORT}`, 'Subject: Shift_JIS', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=Shift_JIS', 'Content-Transfer-Encoding: 8bit', '', ''].join('\r\n')),
        Buffer.from([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd, 0x0d, 0x0a]),
      ])
    );
    expect((await ticketBySubject('HTML only')).description).toMatch(/the portal is down/);
    const record = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { subject: 'HTML only' } });
    // the tracking pixel is kept unloaded (no src) until staff click "Show images" in the ticket view
    expect(record.htmlBody).toContain('<img data-remote-src="https://tracker.test/pixel.gif" />');
    expect(record.htmlBody).not.toMatch(/\ssrc="https:/);
    expect((await ticketBySubject('Grüße aus Köln')).description).toContain('Café geschlossen');
    expect((await ticketBySubject('Shift_JIS')).description).toContain('こんにちは');
  });

  it('stores attachments and inline images, and records a part over the limit as skipped', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000000970485973000003e8000003e801b57b526b0000001349444154089963f8cfc0f09f018cff333000001fee03fda92fc0e20000000049454e44ae426082', 'hex');
    await receive(
      await build({
        from: 'files@customer.test',
        to: SUPPORT,
        subject: 'With files',
        html: '<p>See the screenshot <img src="cid:shot@customer.test"></p>',
        attachments: [
          { filename: 'report.pdf', content: Buffer.from('%PDF-1.4\n% report\n'), contentType: 'application/pdf' },
          { filename: 'shot.png', content: png, contentType: 'image/png', cid: 'shot@customer.test' },
          { filename: 'huge.pdf', content: Buffer.alloc(300 * 1024, 0x41), contentType: 'application/pdf' },
        ],
      })
    );
    const ticket = await ticketBySubject('With files');
    const attachments = await helpdesk.strapi.db.query(ATTACHMENT).findMany({ where: { ticket: { id: ticket.id } } });
    expect(attachments.map((a: { filename: string }) => a.filename).sort()).toEqual(['report.pdf', 'shot.png']);
    const note = (await commentsOf(ticket.id)).find((c: { isInternal: boolean }) => c.isInternal);
    expect(note.body).toMatch(/huge\.pdf/);
    const record = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { ticket: { id: ticket.id } } });
    expect(record.skippedAttachments).toEqual([
      expect.objectContaining({ filename: 'huge.pdf', size: 300 * 1024, reason: expect.stringMatching(/limit/) }),
    ]);
  });

  it("keeps a customer's photo as sent: the same bytes, no re-encoded or resized copies", async () => {
    const pixels = Buffer.alloc(600 * 450 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 251; // busy enough not to compress away
    const photo = await sharp(pixels, { raw: { width: 600, height: 450, channels: 3 } }).jpeg({ quality: 70 }).toBuffer();
    expect(photo.length).toBeLessThan(200 * 1024);
    await receive(await build({ from: 'photo@customer.test', to: SUPPORT, subject: 'Broken screen', text: 'See the photo.', attachments: [{ filename: 'screen.jpg', content: photo, contentType: 'image/jpeg' }] }));
    const ticket = await ticketBySubject('Broken screen');
    const [attachment] = await helpdesk.strapi.db.query(ATTACHMENT).findMany({ where: { ticket: { id: ticket.id } }, populate: { file: true } });
    expect(attachment.file).toMatchObject({ width: 600, height: 450, mime: 'image/jpeg' });
    expect(attachment.file.formats ?? {}).toEqual({});
    const stored = fs.readFileSync(path.join(helpdesk.strapi.dirs.static.public, attachment.file.url));
    expect(stored.equals(photo)).toBe(true);
  });

  it('quarantines a mail it cannot read, keeps its raw source, and goes on with the next', async () => {
    const report = await receive(Buffer.from([0x00, 0xff, 0x13, 0x37]), await build({ from: 'after@customer.test', to: SUPPORT, subject: 'After the broken one', text: 'still here' }));
    expect(report.outcomes.quarantined).toBe(1);
    expect(await ticketBySubject('After the broken one')).toBeTruthy();
    const quarantined = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { outcome: 'quarantined' }, populate: { raw: true } });
    expect(quarantined.error).toBeTruthy();
    expect(quarantined.raw.name).toMatch(/\.eml$/);
    expect((await listMessages(imap, 'INBOX')).every((message) => message.flags.includes('\\Seen'))).toBe(true);
  });

  it('quarantines a mail that fails while being applied, and ingests the rest of its batch once', async () => {
    const outboxBefore = await helpdesk.strapi.db.query(OUTBOX).count({ where: { templateKey: 'ticket_confirmation' } });
    // A write that fails inside the batch's transaction, between two good mails: every mail that
    // parses is now written, so the failure comes from a Document Service middleware of this test
    // (a database refusing the row would look the same to the pipeline).
    let failing = true;
    helpdesk.strapi.documents.use(async (context, next) => {
      const data = (context.params as { data?: { subject?: unknown } }).data;
      if (failing && context.uid === TICKET && context.action === 'create' && data?.subject === 'Bad sender') {
        throw new Error('the database refused the row');
      }
      return next();
    });
    const report = await receive(
      await build({ from: 'before@customer.test', to: SUPPORT, subject: 'Before the bad one', text: 'one', messageId: '<batch-before@customer.test>' }),
      await build({ from: 'bad@customer.test', to: SUPPORT, subject: 'Bad sender', text: 'two', messageId: '<batch-bad@customer.test>' }),
      await build({ from: 'after@customer.test', to: SUPPORT, subject: 'After the bad one', text: 'three', messageId: '<batch-after@customer.test>' })
    ).finally(() => {
      failing = false;
    });
    expect(report.outcomes).toMatchObject({ ticket_created: 2, quarantined: 1 });
    for (const messageId of ['<batch-before@customer.test>', '<batch-after@customer.test>']) {
      const records = await helpdesk.strapi.db.query(INBOUND).findMany({ where: { messageId } });
      expect([messageId, records.map((r: { outcome: string }) => r.outcome)]).toEqual([messageId, ['ticket_created']]);
    }
    for (const subject of ['Before the bad one', 'After the bad one']) {
      expect([subject, await helpdesk.strapi.db.query(TICKET).count({ where: { subject } })]).toEqual([subject, 1]);
    }
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: 'Bad sender' } })).toBe(0);
    const bad = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { messageId: '<batch-bad@customer.test>' } });
    expect(bad).toMatchObject({ outcome: 'quarantined' });
    expect(await helpdesk.strapi.db.query(OUTBOX).count({ where: { templateKey: 'ticket_confirmation' } })).toBe(outboxBefore + 2);
    expect((await listMessages(imap, 'INBOX')).every((message) => message.flags.includes('\\Seen'))).toBe(true);
  });

  it('still ingests a mail somebody read in a mail client first', async () => {
    await appendMail(imap, 'INBOX', await build({ from: 'read@customer.test', to: SUPPORT, subject: 'Already read', text: 'x' }), ['\\Seen']);
    await ingest();
    expect(await ticketBySubject('Already read')).toBeTruthy();
  });

  it('lets one of two runs started together ingest, and never twice', async () => {
    for (let i = 0; i < 5; i += 1) await appendMail(imap, 'INBOX', await build({ from: `race${i}@customer.test`, to: SUPPORT, subject: `Race ${i}`, text: 'x' }));
    const [a, b] = await Promise.all([ingest(), ingest()]);
    expect([a.skipped, b.skipped].filter((s) => s === 'locked')).toHaveLength(1);
    for (let i = 0; i < 5; i += 1) expect(await helpdesk.strapi.db.query(TICKET).count({ where: { subject: `Race ${i}` } })).toBe(1);
  });

  it('prints what a dry run would do, and changes nothing', async () => {
    const ticket = await ticketBySubject('Printer is on fire');
    await appendMail(imap, 'INBOX', await build({ from: 'dry@customer.test', to: SUPPORT, subject: 'Dry run mail', text: 'x' }));
    await appendMail(imap, 'INBOX', await build({ from: 'nina@customer.test', to: SUPPORT, subject: `Re: [${ticket.ticketNumber}]`, text: 'dry reply' }));
    const counts = async () => [await helpdesk.strapi.db.query(TICKET).count({}), await helpdesk.strapi.db.query(COMMENT).count({}), await helpdesk.strapi.db.query(INBOUND).count({})];
    const before = await counts();
    const lines: string[] = [];
    await ingest({ dryRun: true, log: (line) => lines.push(line) });
    expect(await counts()).toEqual(before);
    expect(lines.join('\n')).toMatch(/would new ticket "Dry run mail"/);
    expect(lines.join('\n')).toContain(`would comment on ${ticket.ticketNumber}`);
    const unseen = (await listMessages(imap, 'INBOX')).filter((message) => !message.flags.includes('\\Seen'));
    expect(unseen).toHaveLength(2);
    await ingest();
    expect(await ticketBySubject('Dry run mail')).toBeTruthy();
  });
});
