import crypto from 'node:crypto';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { SmtpSink, type CapturedMail } from './support/smtp-sink';
import { createAgent } from '../src/plugins/helpdesk/server/src/access/roles';
import { createFileLinkSigner } from '../src/plugins/helpdesk/server/src/mail/file-links';
import type { Outbox } from '../src/plugins/helpdesk/server/src/outbox/outbox';
import type { TicketWorkflowService } from '../src/plugins/helpdesk/server/src/services/ticket-workflow';

const TICKET = 'plugin::helpdesk.ticket';
const ATTACHMENT = 'plugin::helpdesk.attachment';
const OUTBOX = 'plugin::helpdesk.outbound-email';
const PASSWORD = 'Correct-Horse-9';
/** Files up to this total travel in the mail; above it they go as links. */
const MAIL_LIMIT = 40_000;

interface MailRow {
  to: string;
  subject: string;
  templateKey: string;
  messageId: string;
  textBody: string;
  htmlBody: string;
  attachments: Array<{ fileId: number; filename: string; contentType: string }> | null;
}

interface UploadFile {
  name: string;
  type: string;
  content: Buffer;
}

const pdf = (size: number): UploadFile => ({
  name: 'invoice.pdf',
  type: 'application/pdf',
  content: Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(size)]),
});
const text = (name: string, size: number): UploadFile => ({
  name,
  type: 'text/plain',
  content: Buffer.from(`${'Größe und Zeilen, line by line.\n'.repeat(Math.ceil(size / 33))}`.slice(0, size)),
});

/** A public reply reaches the customer whole: its files, the customer's subject, words, one mail per action. */
describe('reply mail: files, subject, words, one mail per action', () => {
  let helpdesk: Helpdesk;
  const sink = new SmtpSink();
  let agent: { id: number; jwt: string };
  let admin: { id: number; token: string };
  let tickets = 0;

  const newTicket = async (data: Record<string, unknown> = {}) =>
    (await helpdesk.strapi.documents(TICKET).create({
      data: { subject: `Printer ${++tickets} jams on page 2`, description: 'It jams.', email: `rita${tickets}@example.test`, firstName: 'Rita', ...data },
    })) as unknown as { id: number; documentId: string; ticketNumber: string; subject: string; email: string };
  const mails = async (ticketId: number, templateKey?: string) =>
    (await helpdesk.strapi.db.query(OUTBOX).findMany({
      where: { ticket: { id: ticketId }, ...(templateKey ? { templateKey } : {}) },
      orderBy: { id: 'asc' },
    })) as MailRow[];
  const outbox = () => helpdesk.strapi.service(OUTBOX) as unknown as Outbox;
  /** Delivers everything due; the mails the sink got for `to`. */
  const delivered = async (to: string, count: number): Promise<CapturedMail[]> => {
    for (let i = 0; i < 50 && sink.messages.filter((m) => m.envelopeTo.includes(to)).length < count; i += 1) await outbox().deliverDue();
    await outbox().deliverDue();
    return sink.messages.filter((m) => m.envelopeTo.includes(to));
  };
  const form = (fields: Record<string, string>, files: UploadFile[]) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    for (const file of files) body.append('files', new Blob([file.content], { type: file.type }), file.name);
    return body;
  };
  /** REST: POST /api/tickets/:id/comments, multipart with `data` as JSON and the files. */
  const restReply = async (documentId: string, data: Record<string, unknown>, files: UploadFile[] = []) => {
    const response = await fetch(`${helpdesk.baseUrl}/api/tickets/${documentId}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.jwt}` },
      body: form({ data: JSON.stringify(data) }, files),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; error?: { message: string } } };
  };
  /** Back office: POST /helpdesk-admin/tickets/:id/replies, multipart. */
  const adminReply = async (documentId: string, fields: Record<string, string>, files: UploadFile[] = []) => {
    const response = await fetch(`${helpdesk.baseUrl}/helpdesk-admin/tickets/${documentId}/replies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
      body: form(fields, files),
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; error?: { message: string } } };
  };
  const toInProgress = (documentId: string) => helpdesk.strapi.documents(TICKET).update({ documentId, data: { ticketStatus: 'in_progress' } });

  beforeAll(async () => {
    const port = await sink.start();
    helpdesk = await startHelpdesk({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(port),
        SMTP_FROM: 'support@helpdesk.test',
        CRON_ENABLED: 'false',
        MAIL_ATTACHMENT_MAX_BYTES: String(MAIL_LIMIT),
      },
    });
    agent = await helpdesk.agent('wendy@example.test');
    admin = await helpdesk.admin('ann@example.test');
    await createAgent(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' });
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await sink.stop();
  });

  it('REST: a reply with two files is one mail carrying both, byte for byte, under the customer\'s subject', async () => {
    const ticket = await newTicket();
    const files = [pdf(3000), text('notes.txt', 2000)];
    const started = Date.now();
    const response = await restReply(ticket.documentId, { body: 'Here are the invoice and my notes.' }, files);
    expect(response.status).toBe(201);

    const sent = await mails(ticket.id, 'comment_notification');
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toBe(`Re: ${ticket.subject} [${ticket.ticketNumber}]`);
    // the outbox row names the files; their bytes are read from the upload provider at send time
    expect(sent[0].attachments?.map((file) => [file.filename, file.contentType])).toEqual([
      ['invoice.pdf', 'application/pdf'],
      ['notes.txt', 'text/plain'],
    ]);

    const [mail, ...more] = (await delivered(ticket.email, 2)).filter((m) => m.parsed.subject?.startsWith('Re:'));
    console.log(`reply with two files: stored and delivered in ${Date.now() - started} ms`);
    expect(more).toHaveLength(0);
    expect(mail.parsed.subject).toBe(`Re: ${ticket.subject} [${ticket.ticketNumber}]`);
    expect(mail.parsed.text).toContain('Here are the invoice and my notes.');
    expect(mail.parsed.attachments.map((file) => file.filename)).toEqual(['invoice.pdf', 'notes.txt']);
    expect(mail.parsed.attachments[0].content.equals(files[0].content)).toBe(true);
    expect(mail.parsed.attachments[1].content.equals(files[1].content)).toBe(true);
  });

  it('back office: "Send and set status" with two files is one mail with the reply, both files and the new status in words', async () => {
    const ticket = await newTicket();
    await toInProgress(ticket.documentId);
    const files = [pdf(1500), text('steps.txt', 800)];
    const response = await adminReply(ticket.documentId, { body: 'Please send us the printer logs.', ticketStatus: 'pending' }, files);
    expect(response.status).toBe(201);

    const after = await mails(ticket.id);
    expect(after.filter((mail) => mail.templateKey !== 'ticket_confirmation').map((mail) => mail.templateKey)).toEqual(['comment_notification']);
    const [mail, ...more] = (await delivered(ticket.email, 3)).filter((m) => m.parsed.subject?.startsWith('Re:'));
    expect(more).toHaveLength(0);
    expect(mail.parsed.text).toContain('Please send us the printer logs.');
    expect(mail.parsed.text).toContain('Status: moved from In progress to Pending.');
    expect(mail.parsed.html).toContain('Status: moved from In progress to Pending.');
    expect(mail.parsed.attachments.map((file) => [file.filename, file.content.equals(files[mail.parsed.attachments.indexOf(file)].content)])).toEqual([
      ['invoice.pdf', true],
      ['steps.txt', true],
    ]);
    // the confirmation and this reply: nothing else went to the customer
    expect((await delivered(ticket.email, 2)).map((m) => m.parsed.subject)).toEqual([
      expect.stringContaining('We received your request'),
      `Re: ${ticket.subject} [${ticket.ticketNumber}]`,
    ]);
  });

  it('REST: comment and status in one request is one mail; a status change alone is one status mail, in words', async () => {
    const ticket = await newTicket();
    await toInProgress(ticket.documentId);
    const both = await restReply(ticket.documentId, { body: 'Waiting for your logs.', ticketStatus: 'pending', note: 'Asked for logs' });
    expect(both.status).toBe(201);
    expect((await mails(ticket.id)).map((mail) => mail.templateKey)).toEqual(['ticket_confirmation', 'comment_notification']);
    const reply = (await mails(ticket.id, 'comment_notification'))[0];
    expect(reply.textBody).toContain('Waiting for your logs.');
    expect(reply.textBody).toContain('Status: moved from In progress to Pending.');
    expect(reply.textBody).toContain('Asked for logs');

    // a status change without a reply keeps its own mail
    const alone = await helpdesk.request('POST', `/api/tickets/${ticket.documentId}/status`, { token: agent.jwt, body: { data: { ticketStatus: 'resolved' } } });
    expect(alone.status).toBe(200);
    const status = await mails(ticket.id, 'status_changed');
    expect(status).toHaveLength(1);
    expect(status[0].subject).toBe(`[${ticket.ticketNumber}] Your request is now Resolved: ${ticket.subject}`);
    expect(status[0].textBody).toContain('moved from Pending to Resolved');
    expect((await delivered(ticket.email, 3)).map((m) => m.parsed.subject)).toEqual([
      expect.stringContaining('We received your request'),
      `Re: ${ticket.subject} [${ticket.ticketNumber}]`,
      `[${ticket.ticketNumber}] Your request is now Resolved: ${ticket.subject}`,
    ]);
  });

  it('server code: the workflow reply is one mail too; an internal note with a status leaves the status mail alone', async () => {
    const workflow = helpdesk.strapi.service('plugin::helpdesk.ticket-workflow') as unknown as TicketWorkflowService;
    const ticket = await newTicket();
    await workflow.reply(ticket.documentId, { body: 'Solved on our side.', ticketStatus: 'resolved' });
    expect((await mails(ticket.id)).map((mail) => mail.templateKey)).toEqual(['ticket_confirmation', 'comment_notification']);
    expect((await mails(ticket.id, 'comment_notification'))[0].textBody).toContain('Status: moved from New to Resolved.');

    const other = await newTicket();
    await workflow.reply(other.documentId, { body: 'Only for us.', isInternal: true, ticketStatus: 'resolved' });
    const sent = await mails(other.id);
    expect(sent.map((mail) => mail.templateKey)).toEqual(['ticket_confirmation', 'status_changed']);
    expect(sent[1].textBody).toContain('moved from New to Resolved');
    expect(sent[1].textBody).not.toContain('Only for us.');
  });

  it('words, never stored values, in the customer\'s mails', async () => {
    const ticket = await newTicket({ priority: 'high', category: 'feature_request' });
    const [confirmation] = await mails(ticket.id, 'ticket_confirmation');
    expect(confirmation.textBody).toContain('Status: New');
    expect(confirmation.textBody).toContain('Priority: High');
    expect(confirmation.htmlBody).toContain('<td>New</td>');
    // every mail this file made: no status, priority or category as stored
    const all = (await helpdesk.strapi.db.query(OUTBOX).findMany({})) as MailRow[];
    expect(all.length).toBeGreaterThan(5);
    for (const mail of all) {
      for (const part of [mail.subject, mail.textBody, mail.htmlBody]) {
        expect(part).not.toMatch(/\b(in_progress|on_hold|feature_request)\b/);
        expect(part).not.toMatch(/(Status|Priority|now|to|from) (new|open|pending|resolved|closed|reopened|high|medium|low)\b/);
      }
    }
  });

  describe('files above MAIL_ATTACHMENT_MAX_BYTES', () => {
    let ticket: Awaited<ReturnType<typeof newTicket>>;
    let files: UploadFile[];
    /** file name → link, from the lines "- name (size): link" */
    let links: Map<string, string>;

    beforeAll(async () => {
      ticket = await newTicket();
      files = [pdf(MAIL_LIMIT), text('small.txt', 500)];
      const response = await adminReply(ticket.documentId, { body: 'The full report is attached.' }, files);
      expect(response.status).toBe(201);
      const [mail] = (await delivered(ticket.email, 2)).filter((m) => m.parsed.subject?.startsWith('Re:'));
      expect(mail.parsed.attachments).toHaveLength(0);
      links = new Map([...String(mail.parsed.text).matchAll(/^- (\S+) \([^)]*\): (https?:\/\/\S+\/api\/mail-files\/\S+)$/gm)].map((match) => [match[1], match[2]]));
    });

    it('go as links in the mail, never stored readable in the outbox', async () => {
      expect([...links.keys()].sort()).toEqual(['invoice.pdf', 'small.txt']);
      const [row] = await mails(ticket.id, 'comment_notification');
      expect(row.attachments).toBeNull();
      expect(row.textBody).toContain('invoice.pdf');
      expect(row.textBody).toContain('[hidden:file_1]');
      expect(`${row.textBody}${row.htmlBody}`).not.toContain('/api/mail-files/');
    });

    it('download the file while the link holds', async () => {
      for (const file of files) {
        const response = await fetch(`${helpdesk.baseUrl}${new URL(links.get(file.name)!).pathname}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-disposition')).toContain(file.name);
        expect(Buffer.from(await response.arrayBuffer()).equals(file.content)).toBe(true);
      }
    });

    it('stop working with a bad signature (403), after expiry (403), for an unknown file (404), in Strapi\'s error JSON', async () => {
      const path = new URL(links.get('invoice.pdf')!).pathname;
      const [, , , documentId, expires, signature] = path.split('/');
      const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      const later = String(Number(expires) + 3600);
      const signer = createFileLinkSigner(helpdesk.strapi.config.get<string[]>('server.app.keys'));
      const cases: Array<[string, number, string]> = [
        [`/api/mail-files/${documentId}/${expires}/${flipped}`, 403, 'not valid'],
        [`/api/mail-files/${documentId}/${later}/${signature}`, 403, 'not valid'],
        [`/api/mail-files/${documentId}/${expires}/short`, 403, 'not valid'],
        [signer.path(documentId, new Date(Date.now() - 1000)), 403, 'expired'],
        [signer.path('no-such-attachment', new Date(Date.now() + 60_000)), 404, 'not found'],
      ];
      for (const [url, status, message] of cases) {
        const response = await helpdesk.request<{ data: null; error: { status: number; message: string } }>('GET', url);
        expect([url, response.status, response.body]).toEqual([url, status, expect.anything()]);
        expect(response.body.data).toBeNull();
        expect(response.body.error.status).toBe(status);
        expect([url, response.body.error.message.toLowerCase()]).toEqual([url, expect.stringContaining(message)]);
      }
      // a link made with another server's keys is no link here
      const foreign = createFileLinkSigner(['someone-else']).path(documentId, new Date(Date.now() + 60_000));
      expect((await helpdesk.request('GET', foreign)).status).toBe(403);
      expect(await helpdesk.strapi.db.query(ATTACHMENT).count({ where: { documentId } })).toBe(1);
    });
  });
});
