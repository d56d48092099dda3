import path from 'node:path';
import { startHelpdesk, mailIngestion, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink } from './support/smtp-sink';
import { appendMails, createFolder, deleteFolder, startDovecot, mailLoopEnv, type DovecotServer } from './support/dovecot';
import { mailContentHash } from '../src/plugins/helpdesk/server/src/mail-ingestion/content-hash';
import type { IngestOptions, IngestReport } from '../src/plugins/helpdesk/server/src/mail-ingestion/pipeline';
import type { IngestionConfig, ImapConfig } from '../src/plugins/helpdesk/server/src/mail-ingestion/config';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const INBOUND = 'plugin::helpdesk.inbound-email';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const SUPPORT = 'support@helpdesk.test';
const MAX_MESSAGE_BYTES = 64 * 1024;

/** A raw mail, CRLF, headers as given (none added). */
const raw = (headers: string[], body: string): string => [...headers, '', body, ''].join('\r\n');

interface InboundRow {
  id: number;
  messageId: string;
  outcome: string;
  fromAddress: string | null;
  reusedMessageId: boolean;
  note: string | null;
  folder: string | null;
  uid: string | number | null;
  uidValidity: string | null;
  ticket: { id: number } | null;
}

interface TicketRow {
  id: number;
  documentId: string;
  subject: string;
  email: string | null;
  description: string;
}

describe('mail content hash (what makes two fetched mails the same mail)', () => {
  const base = ['From: ann@example.com', 'To: support@example.com', 'Subject: Hello', 'Date: Mon, 23 Nov 2026 08:00:00 +0000', 'Message-ID: <same@example.com>'];

  it('ignores transport headers, folding and line ends, and sees any change of the headers that matter or the body', () => {
    const hash = mailContentHash(Buffer.from(raw(base, 'Body text')));
    const relayed = raw(['Received: from mx1 by mx2; Mon, 23 Nov 2026 08:00:01 +0000', 'Delivered-To: support@example.com', 'Return-Path: <ann@example.com>', 'X-Spam-Score: 1.2', ...base], 'Body text\r\n\r\n');
    expect(mailContentHash(Buffer.from(relayed))).toBe(hash);
    expect(mailContentHash(Buffer.from(raw(base, 'Body text').replace(/\r\n/g, '\n')))).toBe(hash);
    expect(mailContentHash(Buffer.from(raw(base.map((line) => line.replace('Subject: Hello', 'Subject:\r\n  Hello')), 'Body text')))).toBe(hash);

    const changed = [
      raw(base, 'Body text!'),
      raw(base.map((line) => line.replace('Hello', 'Hello again')), 'Body text'),
      raw(base.map((line) => line.replace('08:00:00', '08:00:05')), 'Body text'),
      raw([...base, 'Cc: boss@example.com'], 'Body text'),
      raw(base.map((line) => line.replace('ann@', 'bob@')), 'Body text'),
    ];
    for (const mail of changed) expect([mail, mailContentHash(Buffer.from(mail))]).not.toEqual([mail, hash]);
  });
});

/**
 * Issue 17, point 1 (no silent drop), end to end with real Dovecot, Strapi and an SMTP sink: a
 * reused Message-ID with other content is a new mail, the same mail twice is one, an unusual but
 * readable From gives a ticket, and every fetched mail leaves exactly one inbound record.
 */
describe('ingestion fidelity: nothing dropped', () => {
  jest.setTimeout(180_000);
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  const sink = new SmtpSink();
  let ingest: (options?: IngestOptions) => Promise<IngestReport>;
  /** Every mail appended, as [folder, uid]: each must end with exactly one inbound record per fetch. */
  let appended = 0;

  const append = async (folder: string, mails: string[]): Promise<number[]> => {
    const uids = await appendMails(imap, folder, mails);
    appended += uids.length;
    return uids;
  };
  const outbox = () => helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
  const deliver = async () => {
    for (let i = 0; i < 20; i += 1) {
      const report = await outbox().deliverDue();
      if (report.sent + report.retried + report.failed === 0) break;
    }
  };
  const records = async (messageId: string): Promise<InboundRow[]> =>
    (await helpdesk.strapi.db.query(INBOUND).findMany({ where: { messageId }, orderBy: { id: 'asc' }, populate: { ticket: { select: ['id'] } } })) as InboundRow[];
  const ticketsWithSubject = async (subject: string): Promise<TicketRow[]> =>
    (await helpdesk.strapi.db.query(TICKET).findMany({ where: { subject }, orderBy: { id: 'asc' } })) as TicketRow[];

  beforeAll(async () => {
    imap = await startDovecot();
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        ...mailLoopEnv(imap, port, SUPPORT),
        INGEST_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
        AUTO_REPLY_CAP: '100',
      },
    });
    const ingestion = mailIngestion(helpdesk);
    const config = ingestion.readConfig() as IngestionConfig & { imap: ImapConfig };
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

  it('makes two tickets of two different mails with one Message-ID; the second record says the ID was reused', async () => {
    const headers = (subject: string, date: string) => [
      'From: Jira <jira@tools.test>',
      `To: ${SUPPORT}`,
      `Subject: ${subject}`,
      `Date: ${date}`,
      'Message-ID: <jira.reused@tools.test>',
    ];
    await append('INBOX', [
      raw(headers('PROJ-1 created', 'Mon, 23 Nov 2026 08:00:00 +0000'), 'Issue PROJ-1 was created.'),
      raw(headers('PROJ-2 created', 'Mon, 23 Nov 2026 09:00:00 +0000'), 'Issue PROJ-2 was created.'),
    ]);
    const report = await ingest();
    expect(report.outcomes).toMatchObject({ ticket_created: 2, ignored_duplicate: 0 });

    const [first] = await ticketsWithSubject('PROJ-1 created');
    const [second] = await ticketsWithSubject('PROJ-2 created');
    expect(first.description).toContain('PROJ-1');
    expect(second.description).toContain('PROJ-2');
    const rows = await records('<jira.reused@tools.test>');
    expect(rows.map((row) => [row.outcome, row.ticket?.id, row.reusedMessageId])).toEqual([
      ['ticket_created', first.id, false],
      ['ticket_created', second.id, true],
    ]);
    expect(rows[1].note).toContain('was used before by a different mail');

    // the same Message-ID once more in a later run: a third mail, and its record says so too
    await append('INBOX', [raw(headers('Re: PROJ-1 created', 'Mon, 23 Nov 2026 10:00:00 +0000'), 'A third mail under the same id.')]);
    expect((await ingest()).outcomes).toMatchObject({ ticket_created: 1, ignored_duplicate: 0 });
    expect((await records('<jira.reused@tools.test>')).map((row) => row.reusedMessageId)).toEqual([false, true, true]);
  });

  it('takes the same mail twice (delivered twice, other transport headers) once; the second is recorded ignored_duplicate with the reason', async () => {
    const mail = raw(['From: carla@customer.test', `To: ${SUPPORT}`, 'Subject: Delivered by two routes', 'Date: Tue, 24 Nov 2026 08:00:00 +0000', 'Message-ID: <two-routes@customer.test>'], 'Same words.');
    await append('INBOX', [
      `Received: from mx-a.test by imap.test; Tue, 24 Nov 2026 08:00:01 +0000\r\nDelivered-To: ${SUPPORT}\r\n${mail}`,
      `Received: from mx-b.test by imap.test; Tue, 24 Nov 2026 08:00:09 +0000\r\nDelivered-To: team@helpdesk.test\r\nX-Original-To: team@helpdesk.test\r\n${mail}`,
    ]);
    const report = await ingest();
    expect(report.outcomes).toMatchObject({ ticket_created: 1, ignored_duplicate: 1 });
    const [ticket, ...more] = await ticketsWithSubject('Delivered by two routes');
    expect(more).toHaveLength(0);
    const rows = await records('<two-routes@customer.test>');
    expect(rows.map((row) => [row.outcome, row.ticket?.id, row.reusedMessageId])).toEqual([
      ['ticket_created', ticket.id, false],
      ['ignored_duplicate', ticket.id, false],
    ]);
    expect(rows[1].note).toBe(`ignored: the same mail (Message-ID and content) as inbound #${rows[0].id}`);
  });

  it('ingests nothing twice when a folder is read again after a UIDVALIDITY change', async () => {
    const mails = [
      raw(['From: dora@customer.test', `To: ${SUPPORT}`, 'Subject: Folder mail one', 'Date: Wed, 25 Nov 2026 08:00:00 +0000', 'Message-ID: <folder-reuse@customer.test>'], 'one'),
      raw(['From: dora@customer.test', `To: ${SUPPORT}`, 'Subject: Folder mail two', 'Date: Wed, 25 Nov 2026 08:05:00 +0000', 'Message-ID: <folder-reuse@customer.test>'], 'two'),
      raw(['From: dora@customer.test', `To: ${SUPPORT}`, 'Subject: Folder mail without id', 'Date: Wed, 25 Nov 2026 08:10:00 +0000'], 'three'),
    ];
    await createFolder(imap, 'Fidelity');
    await append('Fidelity', mails);
    expect((await ingest({ folder: 'Fidelity' })).outcomes).toMatchObject({ ticket_created: 3 });
    const ticketsBefore = await helpdesk.strapi.db.query(TICKET).count({});
    const before = (await helpdesk.strapi.db.query(INBOUND).findMany({ where: { folder: 'Fidelity' } })) as InboundRow[];

    await deleteFolder(imap, 'Fidelity');
    await createFolder(imap, 'Fidelity');
    await append('Fidelity', mails);
    const report = await ingest({ folder: 'Fidelity' });
    expect(report.fetched).toBe(3);
    expect(report.outcomes).toMatchObject({ ticket_created: 0, comment_added: 0, ignored_duplicate: 3 });
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(ticketsBefore);

    const after = (await helpdesk.strapi.db.query(INBOUND).findMany({ where: { folder: 'Fidelity' }, orderBy: { id: 'asc' } })) as InboundRow[];
    const again = after.slice(before.length);
    expect(again.map((row) => row.outcome)).toEqual(['ignored_duplicate', 'ignored_duplicate', 'ignored_duplicate']);
    expect(new Set(again.map((row) => row.uidValidity)).size).toBe(1);
    expect(again[0].uidValidity).not.toBe(before[0].uidValidity);
  });

  it('makes a ticket of each unusual but readable From, with the address found or "No reply address"', async () => {
    const cases: Array<{ from: string | null; extra?: string[]; expected: string | null }> = [
      { from: 'trailing.dot@customer.test.', expected: 'trailing.dot@customer.test' },
      { from: '"john.doe"@customer.test', expected: 'john.doe@customer.test' },
      { from: '"john doe"@customer.test', expected: null },
      { from: '"bob@customer.test" <>', expected: 'bob@customer.test' },
      { from: 'rob@customer.test <>', expected: 'rob@customer.test' },
      { from: '=?utf-8?Q?enc=40customer.test?= <>', expected: 'enc@customer.test' },
      { from: '<angle@customer.test>>', expected: 'angle@customer.test' },
      { from: null, extra: ['Reply-To: Rita <rita@customer.test>'], expected: 'rita@customer.test' },
      { from: null, extra: ['Sender: sam@customer.test'], expected: 'sam@customer.test' },
      { from: '"John Doe" <"john doe"@customer.test>', extra: ['Reply-To: jd@customer.test'], expected: 'jd@customer.test' },
      { from: '"Millions Lottery Spain transfer"@example.com>', expected: null },
      { from: 'undisclosed-recipients:;', expected: null },
      { from: null, expected: null },
    ];
    const mails = cases.map((entry, index) =>
      raw(
        [
          ...(entry.from === null ? [] : [`From: ${entry.from}`]),
          ...(entry.extra ?? []),
          `To: ${SUPPORT}`,
          `Subject: Unusual sender ${letter(index)}`,
          'Date: Thu, 26 Nov 2026 08:00:00 +0000',
          `Message-ID: <unusual-${index}@customer.test>`,
        ],
        `Mail number ${index}`
      )
    );
    await append('INBOX', mails);
    const report = await ingest();
    await deliver();
    expect(report.outcomes).toMatchObject({ ticket_created: cases.length, quarantined: 0 });

    for (const [index, entry] of cases.entries()) {
      const [ticket] = await ticketsWithSubject(`Unusual sender ${letter(index)}`);
      const label = `From: ${entry.from ?? '(none)'}`;
      expect([label, ticket?.email ?? null]).toEqual([label, entry.expected]);
      const notes = (await helpdesk.strapi.db.query(COMMENT).findMany({ where: { ticket: { id: ticket.id }, isInternal: true } })) as Array<{ body: string }>;
      const [record] = await records(`<unusual-${index}@customer.test>`);
      const mailed = sink.messages.filter((message) => message.parsed.subject?.endsWith(`Unusual sender ${letter(index)}`));
      if (entry.expected) {
        expect([label, notes.some((note) => note.body.startsWith('No reply address'))]).toEqual([label, false]);
        expect([label, record.fromAddress]).toEqual([label, entry.expected]);
        expect([label, mailed.map((message) => message.envelopeTo)]).toEqual([label, [[entry.expected]]]);
      } else {
        expect([label, notes.filter((note) => note.body.startsWith('No reply address')).length]).toEqual([label, 1]);
        expect([label, record.fromAddress, record.note]).toEqual([label, null, expect.stringContaining('No reply address')]);
        expect([label, mailed.length, await helpdesk.strapi.db.query(OUTBOX).count({ where: { ticket: { id: ticket.id } } })]).toEqual([label, 0, 0]);
      }
    }
    // the crafted lottery address reached no email validator and no row
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.contact').count({ where: { email: { $contains: 'millions' } } })).toBe(0);
  });

  it('leaves exactly one inbound record for every fetched mail, in every outcome', async () => {
    const [ticket] = await ticketsWithSubject('Delivered by two routes');
    const [autoReply] = (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticket.id } } })) as Array<{ messageId: string }>;
    await append('INBOX', [
      raw(['From: carla@customer.test', `To: ${SUPPORT}`, 'Subject: Re: Delivered by two routes', `In-Reply-To: ${autoReply.messageId}`, 'Message-ID: <carla-reply@customer.test>'], 'A reply.'),
      'this is not a mail at all\r\n',
      raw(['From: big@customer.test', `To: ${SUPPORT}`, 'Subject: Too big', 'Message-ID: <too-big@customer.test>'], 'x'.repeat(MAX_MESSAGE_BYTES * 2)),
      raw(['From: erin@customer.test', `To: ${SUPPORT}`, 'Subject: A plain one', 'Message-ID: <plain-one@customer.test>'], 'plain'),
    ]);
    const report = await ingest();
    expect(report.outcomes).toMatchObject({ comment_added: 1, quarantined: 1, too_large: 1, ticket_created: 1 });

    const rows = (await helpdesk.strapi.db.query(INBOUND).findMany({ orderBy: { id: 'asc' } })) as InboundRow[];
    const byFetch = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.folder}/${row.uidValidity}/${row.uid}`;
      byFetch.set(key, (byFetch.get(key) ?? 0) + 1);
    }
    console.log(`[ingest-fidelity] ${appended} mails appended, ${rows.length} inbound records: ${JSON.stringify(countBy(rows.map((row) => row.outcome)))}`);
    expect(rows.every((row) => row.uid !== null && row.folder !== null)).toBe(true);
    expect([...byFetch.values()].filter((count) => count !== 1)).toEqual([]);
    expect(rows).toHaveLength(appended);
  });
});

/** A, B, C, …: one subject never contains another. */
const letter = (index: number): string => String.fromCharCode(65 + index);

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
