import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { startHelpdesk, mailIngestion, type Helpdesk } from './helpers/helpdesk';
import { appendMail, imapEnv, startDovecot, type DovecotServer } from './support/dovecot';
import type { IngestionConfig, ImapConfig } from '../src/plugins/helpdesk/server/src/mail-ingestion/config';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const SUPPORT = 'support@helpdesk.test';
/** The mailbox's MTA, whose Authentication-Results vouch for staff (tests/security/mail-spoofing.test.ts has the refusals). */
const TRUSTED_MTA = 'mail.helpdesk.test';

const build = (mail: Mail.Options): Promise<Buffer> => new MailComposer(mail).compile().build();

/** Who may write into a ticket by mail: the requester, whoever was on its Cc, and verified staff. */
describe('email replies by sender', () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  let ingest: () => Promise<unknown>;
  let ticket: { id: number; documentId: string; ticketNumber: string };

  const lastComment = async () =>
    (await helpdesk.strapi.db.query(COMMENT).findMany({ where: { ticket: { id: ticket.id } }, orderBy: { id: 'desc' }, limit: 1 }))[0];
  const reply = async (from: string, text: string, headers: Mail.Options['headers'] = {}) => {
    await appendMail(imap, 'INBOX', await build({ from, to: SUPPORT, subject: `Re: [${ticket.ticketNumber}] Server down`, text, headers }));
    await ingest();
    return lastComment();
  };

  beforeAll(async () => {
    imap = await startDovecot();
    helpdesk = await startHelpdesk({
      env: { CRON_ENABLED: 'false', EMAIL_TO_TICKET_ENABLED: 'true', SUPPORT_EMAIL: SUPPORT, SMTP_FROM: SUPPORT, INGEST_TRUSTED_AUTHSERV_ID: TRUSTED_MTA, ...imapEnv(imap) },
    });
    const ingestion = mailIngestion(helpdesk);
    const config = ingestion.readConfig() as IngestionConfig & { imap: ImapConfig };
    ingest = () => ingestion.ingest(config);
    await helpdesk.agent('ada.agent@helpdesk.test');

    await appendMail(
      imap,
      'INBOX',
      await build({ from: 'olga@customer.test', to: SUPPORT, cc: ['Boss <boss@customer.test>'], subject: 'Server down', text: 'Our server is down.' })
    );
    await ingest();
    ticket = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'Server down' } })) as typeof ticket;
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
  });

  it("takes a reply from an address that was on the ticket's Cc as the requester's side", async () => {
    const comment = await reply('boss@customer.test', 'Please hurry, we lose money.');
    expect(comment).toMatchObject({ body: 'Please hurry, we lose money.', isInternal: false, authorType: 'requester' });
  });

  it('takes a reply from an agent (verified by the mailbox MTA) as a public staff comment, mailed on to the requester', async () => {
    const comment = await reply('ada.agent@helpdesk.test', 'We are restarting it now.', {
      'Authentication-Results': `${TRUSTED_MTA}; dkim=pass header.d=helpdesk.test; dmarc=pass (p=none dis=none) header.from=helpdesk.test`,
    });
    expect(comment).toMatchObject({ body: 'We are restarting it now.', isInternal: false, authorType: 'staff' });
    const mails = await helpdesk.strapi.db.query('plugin::helpdesk.outbound-email').findMany({
      where: { ticket: { id: ticket.id }, templateKey: 'comment_notification' },
    });
    expect(mails.map((m: { to: string }) => m.to)).toEqual(['olga@customer.test']);
  });

  it("mails an agent's emailed reply on with the files that came with it: one mail, both files", async () => {
    const files = [
      { filename: 'report.pdf', content: Buffer.from('%PDF-1.4 restart report'), contentType: 'application/pdf' },
      { filename: 'steps.txt', content: Buffer.from('1. stop\n2. start\n'), contentType: 'text/plain' },
    ];
    await appendMail(
      imap,
      'INBOX',
      await build({
        from: 'ada.agent@helpdesk.test',
        to: SUPPORT,
        subject: `Re: [${ticket.ticketNumber}] Server down`,
        text: 'The report and the steps are attached.',
        attachments: files,
        headers: { 'Authentication-Results': `${TRUSTED_MTA}; dkim=pass header.d=helpdesk.test; dmarc=pass (p=none dis=none) header.from=helpdesk.test` },
      })
    );
    await ingest();
    const comment = await lastComment();
    expect(comment).toMatchObject({ body: 'The report and the steps are attached.', authorType: 'staff', isInternal: false });
    const mails = (await helpdesk.strapi.db.query('plugin::helpdesk.outbound-email').findMany({
      where: { ticket: { id: ticket.id }, templateKey: 'comment_notification' },
      orderBy: { id: 'asc' },
    })) as { textBody: string; attachments: { filename: string }[] | null }[];
    const forThisReply = mails.filter((mail) => mail.textBody.includes('The report and the steps are attached.'));
    expect(forThisReply).toHaveLength(1);
    expect(forThisReply[0].attachments?.map((file) => file.filename)).toEqual(['report.pdf', 'steps.txt']);
  });

  it('keeps anybody else to an internal note', async () => {
    const comment = await reply('competitor@else.test', 'What server do you run?');
    expect(comment).toMatchObject({ isInternal: true, authorType: 'system', authorName: 'Unknown sender <competitor@else.test>' });
  });

  it("takes the legacy #N tag from the ticket's people only: a stranger's order number opens a new ticket", async () => {
    const tickets = await helpdesk.strapi.db.query(TICKET).count({});
    await appendMail(imap, 'INBOX', await build({ from: 'shop@else.test', to: SUPPORT, subject: `Order #${ticket.id} not delivered`, text: 'Where is my order?' }));
    await ingest();
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(tickets + 1);
    expect(await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: `Order #${ticket.id} not delivered` } })).toBeTruthy();

    await appendMail(imap, 'INBOX', await build({ from: 'olga@customer.test', to: SUPPORT, subject: `Ticket #${ticket.id}`, text: 'Any news on this?' }));
    await ingest();
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(tickets + 1);
    expect(await lastComment()).toMatchObject({ body: 'Any news on this?', authorType: 'requester', isInternal: false });
  });

  it('moves a pending ticket back to open when the requester answers', async () => {
    await helpdesk.strapi.documents(TICKET).update({ documentId: ticket.documentId, data: { ticketStatus: 'pending' } });
    await reply('olga@customer.test', 'Here are the logs.');
    expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: ticket.id } })).ticketStatus).toBe('open');
  });
});
