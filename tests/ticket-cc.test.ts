import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { startHelpdesk, mailIngestion, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink, type CapturedMail } from './support/smtp-sink';
import { appendMail, mailLoopEnv, startDovecot, type DovecotServer } from './support/dovecot';
import { createAgent } from '../src/plugins/helpdesk/server/src/access/roles';
import { historySentence } from '../src/plugins/helpdesk/server/src/back-office/ticket-view/words';
import type { TicketViewData } from '../src/plugins/helpdesk/shared/contract';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';
import type { IngestionConfig, ImapConfig } from '../src/plugins/helpdesk/server/src/mail-ingestion/config';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const HISTORY = 'plugin::helpdesk.ticket-history';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const SUPPORT = 'support@helpdesk.test';
const PASSWORD = 'Correct-Horse-9';
const REQUESTER = 'olga@customer.test';
const COLLEAGUE = 'colleague@customer.test';

const build = (mail: Mail.Options): Promise<Buffer> => new MailComposer(mail).compile().build();

interface TicketRow {
  id: number;
  documentId: string;
  ticketNumber: string;
  ccAddresses: unknown;
}

interface MailRow {
  to: string;
  cc: string[] | null;
  templateKey: string;
  messageId: string;
}

/** Issue 17: the people on the customer's Cc are the ticket's Cc list: shown, editable, copied like reply-all. */
describe("the ticket's Cc list", () => {
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  const sink = new SmtpSink();
  let ingest: () => Promise<unknown>;
  let backfill: () => Promise<number>;
  let admin: { id: number; token: string };
  let ticket: TicketRow;

  const ticketNow = async () => (await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: ticket.id } })) as TicketRow;
  const lastComment = async () =>
    (await helpdesk.strapi.db.query(COMMENT).findMany({ where: { ticket: { id: ticket.id } }, orderBy: { id: 'desc' }, limit: 1 }))[0] as {
      body: string;
      isInternal: boolean;
      authorType: string;
    };
  const mailIn = async (mail: Mail.Options) => {
    await appendMail(imap, 'INBOX', await build({ to: SUPPORT, subject: `Re: [${ticket.ticketNumber}] VPN drops`, ...mail }));
    await ingest();
  };
  const outboxRows = async (templateKey: string) =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({ where: { ticket: { id: ticket.id }, templateKey }, orderBy: { id: 'asc' } })) as MailRow[];
  const outbox = () => helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
  /** Delivers everything due; the sink's copy of the mail with this Message-ID. */
  const delivered = async (messageId: string): Promise<CapturedMail[]> => {
    for (let i = 0; i < 50 && !sink.messages.some((m) => m.parsed.messageId === messageId); i += 1) await outbox().deliverDue();
    return sink.messages.filter((m) => m.parsed.messageId === messageId);
  };
  const backOffice = (method: string, suffix: string, body?: unknown) =>
    helpdesk.request<{ data: TicketViewData; error?: { status: number; name: string; message: string; details: unknown } }>(
      method,
      `/helpdesk-admin/tickets/${ticket.documentId}${suffix}`,
      { token: admin.token, body }
    );
  const ccHistory = async () =>
    (await helpdesk.strapi.db.query(HISTORY).findMany({ where: { ticket: { id: ticket.id }, action: 'cc_changed' }, orderBy: { id: 'asc' } })) as Array<{
      action: string;
      oldValue: string | null;
      newValue: string | null;
      actorType: string;
      actorName: string | null;
    }>;

  beforeAll(async () => {
    imap = await startDovecot();
    const port = await sink.start();
    helpdesk = await startHelpdesk({ env: { ...mailLoopEnv(imap, port, SUPPORT), AUTO_REPLY_CAP: '100' } });
    const ingestion = mailIngestion(helpdesk);
    const config = ingestion.readConfig() as IngestionConfig & { imap: ImapConfig };
    ingest = () => ingestion.ingest(config);
    backfill = () => ingestion.backfillCc();
    admin = await helpdesk.admin('ann@helpdesk.test');
    await createAgent(helpdesk.strapi, { email: 'ann@helpdesk.test', password: PASSWORD, name: 'Ann Agent' });

    // To support (and one of its +tags), Cc the colleague, the requester herself and the colleague again in capitals
    await appendMail(
      imap,
      'INBOX',
      await build({
        from: `Olga Customer <${REQUESTER}>`,
        to: [SUPPORT, 'support+sales@helpdesk.test'],
        cc: [`Colleague <${COLLEAGUE}>`, REQUESTER, 'COLLEAGUE@Customer.test'],
        subject: 'VPN drops',
        text: 'The VPN drops every hour.',
      })
    );
    await ingest();
    ticket = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'VPN drops' } })) as TicketRow;
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await imap?.stop();
    await sink.stop();
  });

  it("makes the people on the customer's To/Cc the ticket's Cc list: not us, not the requester, each once", async () => {
    expect(ticket.ccAddresses).toEqual([COLLEAGUE]);
    const view = await backOffice('GET', '');
    expect(view.status).toBe(200);
    expect(view.body.data.ticket.ccAddresses).toEqual([COLLEAGUE]);
    // the confirmation is automatic: it goes to the requester alone (copying strangers' addresses invites loops)
    expect((await outboxRows('ticket_confirmation')).map((row) => [row.to, row.cc])).toEqual([[REQUESTER, null]]);
  });

  it('sends a public reply to the requester with the Cc list copied, as one mail; an internal note mails nobody', async () => {
    expect((await backOffice('POST', '/replies', { body: 'Spare note: check the router logs.', isInternal: true })).status).toBe(201);
    expect(await outboxRows('comment_notification')).toHaveLength(0);

    expect((await backOffice('POST', '/replies', { body: 'Please send us the VPN client log.' })).status).toBe(201);
    const [row, ...more] = await outboxRows('comment_notification');
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ to: REQUESTER, cc: [COLLEAGUE] });
    const [mail, ...copies] = await delivered(row.messageId);
    expect(copies).toHaveLength(0);
    expect([...mail.envelopeTo].sort()).toEqual([COLLEAGUE, REQUESTER]);
    expect(mail.parsed.headers.get('cc')).toMatchObject({ value: [{ address: COLLEAGUE }] });
  });

  it("takes the Cc'd colleague's mail as a public comment, but a participant's mail adds nobody to the Cc list", async () => {
    await mailIn({ from: COLLEAGUE, cc: ['newcomer@else.test'], text: 'Log attached next time, it dropped again.' });
    expect(await lastComment()).toMatchObject({ body: 'Log attached next time, it dropped again.', isInternal: false, authorType: 'requester' });
    expect((await ticketNow()).ccAddresses).toEqual([COLLEAGUE]);
  });

  it("keeps a stranger's mail to an internal note that adds nobody", async () => {
    await mailIn({ from: 'mallory@else.test', cc: ['mallory2@else.test'], text: 'Add me please.' });
    expect(await lastComment()).toMatchObject({ isInternal: true, authorType: 'system' });
    expect((await ticketNow()).ccAddresses).toEqual([COLLEAGUE]);
  });

  it("adds whom the requester's later mail Cc's (never removing anyone), in the ticket history under her name", async () => {
    await mailIn({ from: REQUESTER, cc: ['Boss <boss@customer.test>', SUPPORT], text: 'My boss wants to follow this.' });
    expect(await lastComment()).toMatchObject({ isInternal: false, authorType: 'requester' });
    expect((await ticketNow()).ccAddresses).toEqual([COLLEAGUE, 'boss@customer.test']);
    const [row] = await ccHistory();
    expect(row).toMatchObject({ oldValue: COLLEAGUE, newValue: `${COLLEAGUE}, boss@customer.test`, actorType: 'requester', actorName: REQUESTER });
    expect(historySentence(row)).toBe(`${REQUESTER} changed Cc from ${COLLEAGUE} to ${COLLEAGUE}, boss@customer.test`);
  });

  it('takes an edit of the Cc list in the ticket view: tidied, in history, used by the next reply and status mail', async () => {
    const edited = await backOffice('PUT', '', { ccAddresses: [' Boss@Customer.test ', 'it@customer.test', REQUESTER, 'boss@customer.test'] });
    expect(edited.status).toBe(200);
    // lower-cased, each once, the requester dropped (she gets the mail as To)
    expect(edited.body.data.ticket.ccAddresses).toEqual(['boss@customer.test', 'it@customer.test']);
    const rows = await ccHistory();
    expect(rows[rows.length - 1]).toMatchObject({ newValue: 'boss@customer.test, it@customer.test', actorName: 'Ann Agent' });
    const timeline = edited.body.data.timeline.filter((item) => item.type === 'event' && item.action === 'cc_changed');
    expect(timeline.map((item) => (item.type === 'event' ? item.text : ''))).toContain(
      `Ann Agent changed Cc from ${COLLEAGUE}, boss@customer.test to boss@customer.test, it@customer.test`
    );

    expect((await backOffice('POST', '/replies', { body: 'Thanks, we found the cause.', ticketStatus: 'resolved' })).status).toBe(201);
    const replies = await outboxRows('comment_notification');
    const reply = replies[replies.length - 1];
    expect(reply).toMatchObject({ to: REQUESTER, cc: ['boss@customer.test', 'it@customer.test'] });
    expect([...(await delivered(reply.messageId))[0].envelopeTo].sort()).toEqual(['boss@customer.test', 'it@customer.test', REQUESTER]);

    // a status mail of its own (not told in a reply) is copied too
    expect((await backOffice('POST', '/status', { ticketStatus: 'closed' })).status).toBe(200);
    const [status] = await outboxRows('status_changed');
    expect(status).toMatchObject({ to: REQUESTER, cc: ['boss@customer.test', 'it@customer.test'] });
    expect([...(await delivered(status.messageId))[0].envelopeTo].sort()).toEqual(['boss@customer.test', 'it@customer.test', REQUESTER]);
  });

  it('stops taking mail from someone staff removed from Cc as the conversation', async () => {
    await mailIn({ from: COLLEAGUE, text: 'Me again.' });
    expect(await lastComment()).toMatchObject({ isInternal: true, authorType: 'system' });
  });

  it('refuses a bad Cc list with a 400 naming the field, and changes nothing', async () => {
    const before = await ticketNow();
    const historyBefore = (await ccHistory()).length;
    const tooMany = Array.from({ length: 21 }, (_, index) => `person${index}@customer.test`);
    for (const ccAddresses of [['not-an-address'], ['ok@customer.test', 'bob@@customer.test'], [SUPPORT], ['support+a1.0123456789@helpdesk.test'], tooMany, 'boss@customer.test', [42]]) {
      const response = await backOffice('PUT', '', { ccAddresses });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError', details: { errors: [{ path: expect.arrayContaining(['ccAddresses']) }] } });
    }
    expect((await ticketNow()).ccAddresses).toEqual(before.ccAddresses);
    expect(await ccHistory()).toHaveLength(historyBefore);
  });

  it("upgrades a ticket from before the Cc list: its mails' participants become its list, once, so they keep writing publicly", async () => {
    // as the previous version left it: no list, the participants on the inbound record of its first mail
    const old = (await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Old printer ticket', email: 'pat@customer.test', source: 'email' } })) as unknown as TicketRow;
    await helpdesk.strapi.db.query(TICKET).update({ where: { id: old.id }, data: { ccAddresses: null } });
    await helpdesk.strapi.db.query('plugin::helpdesk.inbound-email').create({
      data: {
        messageId: '<old-printer@customer.test>',
        outcome: 'ticket_created',
        fromAddress: 'pat@customer.test',
        subject: 'Old printer ticket',
        participants: ['old.colleague@customer.test', SUPPORT, 'pat@customer.test'],
        ticket: old.id,
      },
    });
    expect(await backfill()).toBe(1);
    expect((await helpdesk.strapi.db.query(TICKET).findOne({ where: { id: old.id } })).ccAddresses).toEqual(['old.colleague@customer.test']);
    // done once: the next boot finds nothing to do
    expect(await backfill()).toBe(0);

    const current = ticket;
    ticket = old;
    try {
      await mailIn({ from: 'old.colleague@customer.test', subject: `Re: [${old.ticketNumber}] Old printer ticket`, text: 'Still jamming.' });
      expect(await lastComment()).toMatchObject({ body: 'Still jamming.', isInternal: false, authorType: 'requester' });
    } finally {
      ticket = current;
    }
  });

  it('is the server\'s: REST refuses it, and a ticket opened without mail (web form, API) starts with nobody on Cc', async () => {
    const agent = await helpdesk.agent('rita.agent@helpdesk.test');
    const refused = await helpdesk.request('POST', '/api/tickets', {
      token: agent.jwt,
      body: { data: { subject: 'Cc by REST', email: 'x@customer.test', ccAddresses: ['y@customer.test'] } },
    });
    expect(refused.status).toBe(400);
    const created = await helpdesk.request<{ data: { documentId: string } }>('POST', '/api/tickets', {
      token: agent.jwt,
      body: { data: { subject: 'No Cc', email: 'x@customer.test' } },
    });
    expect(created.status).toBe(201);
    const view = await helpdesk.request<{ data: TicketViewData }>('GET', `/helpdesk-admin/tickets/${created.body.data.documentId}`, { token: admin.token });
    expect(view.body.data.ticket.ccAddresses).toEqual([]);
  });
});
