/**
 * Issue 16, findings 3 and 4: who may write into a ticket by mail. Real Dovecot, real Strapi; mails
 * with crafted headers are APPENDed and ingested as the product does.
 *
 * 3. A stranger who put himself on Cc of his own mail became a "participant" and wrote public
 *    requester comments that reopened the ticket; a mail From our own address was a requester comment.
 * 4. `From: <an agent's address>` alone made a public staff comment, mailed to the requester from our
 *    address. Staff now needs the mailbox MTA's Authentication-Results (INGEST_TRUSTED_AUTHSERV_ID)
 *    or a reply to the agent's signed reply address.
 */
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { startHelpdesk, mailIngestion, type Helpdesk } from '../helpers/helpdesk';
import { appendMail, startDovecot, mailLoopEnv, type DovecotServer } from '../support/dovecot';
import { SmtpSink } from '../support/smtp-sink';
import type { IngestionConfig, ImapConfig } from '../../src/plugins/helpdesk/server/src/mail-ingestion/config';
import type { Outbox } from '../../src/plugins/helpdesk/server/src/outbox/outbox';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const INBOUND = 'plugin::helpdesk.inbound-email';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const SUPPORT = 'support@helpdesk.test';
const SENDER = 'helpdesk@helpdesk.test';
const TRUSTED = 'mail.helpdesk.test';
const AGENT = 'ada.agent@staff.test';
const REQUESTER = 'olga@customer.test';

interface TicketRow {
  id: number;
  documentId: string;
  ticketNumber: string;
  ticketStatus: string;
  firstResponseAt: string | null;
}
interface CommentRow {
  body: string;
  isInternal: boolean;
  authorType: string;
  authorName: string | null;
}

const build = (mail: Mail.Options): Promise<Buffer> => new MailComposer(mail).compile().build();

describe('mail spoofing (issue 16, findings 3 and 4)', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  const sink = new SmtpSink();
  let ingest: () => Promise<unknown>;
  let agentId: number;
  let subjects = 0;

  const ticketRow = async (id: number) => (await helpdesk.strapi.db.query(TICKET).findOne({ where: { id } })) as TicketRow;
  const lastComment = async (ticket: TicketRow) =>
    (await helpdesk.strapi.db.query(COMMENT).findMany({ where: { ticket: { id: ticket.id } }, orderBy: { id: 'desc' }, limit: 1 }))[0] as CommentRow;
  const outboxRows = async (ticket: TicketRow) =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticket.id } }, orderBy: { id: 'asc' } })) as Array<{
      to: string;
      templateKey: string;
      headers: Record<string, string>;
    }>;

  /** A ticket opened by the requester's mail, then put into `status` (closed: a reopen would show). */
  const openTicket = async (status = 'closed', extra: Mail.Options = {}): Promise<TicketRow> => {
    const subject = `Printer ${++subjects} is on fire`;
    await appendMail(imap, 'INBOX', await build({ from: `Olga <${REQUESTER}>`, to: SUPPORT, subject, text: 'It smokes.', ...extra }));
    await ingest();
    const ticket = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject } })) as TicketRow;
    if (status !== 'new') await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { ticketStatus: status as 'closed' } });
    return ticketRow(ticket.id);
  };

  /** A reply naming the ticket in its subject, with any headers (Authentication-Results on top). */
  const reply = async (ticket: TicketRow, mail: Mail.Options & { authResults?: string[] }) => {
    const { authResults = [], ...options } = mail;
    const headers = authResults.map((value) => ({ key: 'Authentication-Results', value }));
    await appendMail(imap, 'INBOX', await build({ to: SUPPORT, subject: `Re: [${ticket.ticketNumber}] Printer`, text: 'Reply text.', headers, ...options }));
    await ingest();
    return lastComment(ticket);
  };

  /** Mail from the agent's address must change nothing but add an internal note nobody is mailed. */
  const expectUnverified = async (ticket: TicketRow, comment: CommentRow, mailsBefore: number) => {
    expect(comment).toMatchObject({ isInternal: true, authorType: 'system', authorName: `Unverified sender <${AGENT}>` });
    expect(comment.body).toContain('unverified sender');
    expect(await outboxRows(ticket)).toHaveLength(mailsBefore);
    const after = await ticketRow(ticket.id);
    expect(after.ticketStatus).toBe(ticket.ticketStatus);
    expect(after.firstResponseAt).toBeNull();
  };

  beforeAll(async () => {
    imap = await startDovecot();
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        ...mailLoopEnv(imap, port, SUPPORT),
        SMTP_FROM: SENDER,
        INGEST_TRUSTED_AUTHSERV_ID: TRUSTED,
        AUTO_REPLY_CAP: '1000',
      },
    });
    const ingestion = mailIngestion(helpdesk);
    const config = ingestion.readConfig() as IngestionConfig & { imap: ImapConfig };
    ingest = () => ingestion.ingest(config);
    agentId = (await helpdesk.agent(AGENT)).id;
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
    await sink.stop();
  });

  describe('finding 4: staff identity needs a verified sender', () => {
    it('keeps a spoofed agent From without Authentication-Results to an internal note: nothing mailed, no change', async () => {
      const ticket = await openTicket('pending');
      const mails = (await outboxRows(ticket)).length;
      const comment = await reply(ticket, { from: `Ada <${AGENT}>`, text: 'Please confirm your password at https://evil.test' });
      await expectUnverified(ticket, comment, mails);
      expect(comment.body).toContain('https://evil.test');
    });

    it('ignores Authentication-Results from another authserv-id (anyone can write them)', async () => {
      const ticket = await openTicket('pending');
      const mails = (await outboxRows(ticket)).length;
      const comment = await reply(ticket, {
        from: AGENT,
        authResults: [`mx.attacker.test; dmarc=pass header.from=staff.test`, `${TRUSTED.toUpperCase()}x; dkim=pass header.d=staff.test`],
      });
      await expectUnverified(ticket, comment, mails);
    });

    it('ignores a forged trusted header below the trusted MTA\'s own dmarc=fail', async () => {
      const ticket = await openTicket('pending');
      const mails = (await outboxRows(ticket)).length;
      const comment = await reply(ticket, {
        from: AGENT,
        authResults: [
          `${TRUSTED}; dkim=none; spf=softfail smtp.mailfrom=staff.test; dmarc=fail (p=reject) header.from=staff.test`,
          `${TRUSTED}; dmarc=pass header.from=staff.test`,
        ],
      });
      await expectUnverified(ticket, comment, mails);
    });

    it('adds nobody a spoofed agent mail puts on Cc to the ticket\'s participants', async () => {
      const ticket = await openTicket('closed');
      await reply(ticket, { from: AGENT, cc: 'mallory@else.test', text: 'Mallory helps you from now on.' });
      const comment = await reply(ticket, { from: 'mallory@else.test', text: 'Send me your VPN password.' });
      expect(comment).toMatchObject({ isInternal: true, authorType: 'system', authorName: 'Unknown sender <mallory@else.test>' });
      expect((await ticketRow(ticket.id)).ticketStatus).toBe('closed');
    });

    it('takes a genuine agent mail (trusted authserv-id, dmarc=pass) as a public staff comment, mailed to the requester', async () => {
      const ticket = await openTicket('pending');
      const comment = await reply(ticket, {
        from: `Ada <${AGENT}>`,
        text: 'We are on it.',
        authResults: [`${TRUSTED}; dkim=pass header.d=staff.test; spf=pass smtp.mailfrom=staff.test; dmarc=pass (p=none dis=none) header.from=staff.test`],
      });
      expect(comment).toMatchObject({ body: 'We are on it.', isInternal: false, authorType: 'staff' });
      const notices = (await outboxRows(ticket)).filter((row) => row.templateKey === 'comment_notification');
      expect(notices.map((row) => row.to)).toEqual([REQUESTER]);
      expect((await ticketRow(ticket.id)).firstResponseAt).not.toBeNull();
    });

    it('takes a reply to the agent\'s signed reply address as staff; a forged or another agent\'s tag is not', async () => {
      const ticket = await openTicket('pending');
      const agent = (await helpdesk.strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: agentId } })) as { documentId: string };
      await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { assignee: agent.documentId } });
      // the agent's notice as it reached the agent's mailbox (its Reply-To is what a reply goes to)
      await (helpdesk.strapi.service(OUTBOX) as unknown as Outbox).deliverDue();
      const notice = sink.messages.find((message) => message.envelopeTo.includes(AGENT) && message.parsed.subject?.includes(ticket.ticketNumber));
      const replyTo = notice?.parsed.replyTo?.value[0]?.address ?? '';
      expect(replyTo).toMatch(new RegExp(`^support\\+a${agentId}\\.[0-9a-f]{10}@helpdesk\\.test$`));

      const mails = (await outboxRows(ticket)).length;
      const forged = replyTo.replace(/\.([0-9a-f])/, (_m, digit: string) => `.${digit === '0' ? '1' : '0'}`);
      await expectUnverified(ticket, await reply(ticket, { from: AGENT, to: forged, text: 'Forged tag.' }), mails);
      const otherAgent = replyTo.replace(`+a${agentId}.`, `+a${agentId + 1}.`);
      await expectUnverified(ticket, await reply(ticket, { from: AGENT, to: otherAgent, text: 'Another agent\'s tag.' }), mails);

      const comment = await reply(ticket, { from: AGENT, to: replyTo, text: 'Answered from my phone.' });
      expect(comment).toMatchObject({ body: 'Answered from my phone.', isInternal: false, authorType: 'staff' });
      expect((await outboxRows(ticket)).filter((row) => row.templateKey === 'comment_notification').map((row) => row.to)).toEqual([REQUESTER]);
    });
  });

  describe('finding 3: participants come only from the ticket\'s people; our own address is never one', () => {
    it('keeps a stranger who Cc\'d himself to internal notes, and never reopens the ticket for him', async () => {
      const ticket = await openTicket('closed');
      const first = await reply(ticket, { from: 'stranger@else.test', cc: 'stranger@else.test', text: 'I am on Cc now.' });
      expect(first).toMatchObject({ isInternal: true, authorType: 'system' });
      const again = await reply(ticket, { from: 'Stranger <stranger@else.test>', text: 'Now I am the requester.' });
      expect(again).toMatchObject({ isInternal: true, authorType: 'system', authorName: 'Unknown sender <stranger@else.test>' });
      expect((await ticketRow(ticket.id)).ticketStatus).toBe('closed');
      const records = await helpdesk.strapi.db.query(INBOUND).findMany({ where: { ticket: { id: ticket.id }, fromAddress: 'stranger@else.test' } });
      expect(records.map((record: { participants: unknown }) => record.participants)).toEqual([[], []]);
    });

    it("makes the colleague the requester Cc'd a participant, whose reply is on the requester's side", async () => {
      const ticket = await openTicket('closed', { cc: ['Boss <boss@customer.test>', SUPPORT] });
      const comment = await reply(ticket, { from: 'boss@customer.test', text: 'Please hurry.' });
      expect(comment).toMatchObject({ body: 'Please hurry.', isInternal: false, authorType: 'requester' });
      expect((await ticketRow(ticket.id)).ticketStatus).toBe('reopened');
      const created = await helpdesk.strapi.db.query(INBOUND).findOne({ where: { ticket: { id: ticket.id }, outcome: 'ticket_created' } });
      expect(created.participants).toEqual(['boss@customer.test']);
    });

    it('never takes a mail from our own addresses (plus-addressed too) as the requester, and never reopens for it', async () => {
      const ticket = await openTicket('closed', { cc: 'support+sales@helpdesk.test' });
      for (const from of [SUPPORT, SENDER, 'Support+sales@helpdesk.test']) {
        const mails = (await outboxRows(ticket)).length;
        const comment = await reply(ticket, { from: `Helpdesk <${from}>`, text: `Loop from ${from}.` });
        expect(comment).toMatchObject({ isInternal: true, authorType: 'system' });
        expect(comment.body).toContain('our own address');
        expect((await ticketRow(ticket.id)).ticketStatus).toBe('closed');
        expect(await outboxRows(ticket)).toHaveLength(mails);
      }
    });
  });
});
